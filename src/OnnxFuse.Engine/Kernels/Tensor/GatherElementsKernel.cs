using System.Buffers;
using OnnxFuse.Engine.Tensors;

namespace OnnxFuse.Engine.Kernels.Tensor;

/// <summary>
/// GatherElements: output[c] = data[c with c[axis] replaced by indices[c]], output shaped as indices (int64 or int32,
/// negative counts from the end). Any element type (copied as bytes).
/// </summary>
sealed class GatherElementsKernel(long axis) : Kernel
{
    public override void Run(KernelContext context)
    {
        var data = context.Input(0);
        var indices = context.Input(1);
        var normalizedAxis = ShapeMath.NormalizeAxis(axis, data.Rank);
        var output = context.Output(0, data.ElementType, indices.Dims);
        var offsets = ArrayPool<int>.Shared.Rent(indices.ElementCount);
        ElementIndexing.DataOffsets(indices, data.Dims, normalizedAxis, "GatherElements", offsets);
        var size = data.ElementSize;
        var source = data.Bytes;
        var target = output.Write<byte>();
        for (var i = 0; i < indices.ElementCount; i++)
            source.Slice(offsets[i] * size, size).CopyTo(target.Slice(i * size, size));
        ArrayPool<int>.Shared.Return(offsets);
    }
}
