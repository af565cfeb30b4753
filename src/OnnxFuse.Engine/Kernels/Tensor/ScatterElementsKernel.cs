using System.Buffers;
using OnnxFuse.Engine.Tensors;
using OnnxFuse.Ir.Errors;

namespace OnnxFuse.Engine.Kernels.Tensor;

/// <summary>
/// ScatterElements (and the deprecated Scatter): output = data, then for every element c of indices,
/// output[c with c[axis] replaced by indices[c]] = updates[c], combined by <c>reduction</c> when given. updates is
/// shaped as indices.
/// </summary>
sealed class ScatterElementsKernel(long axis, ScatterReduction reduction) : Kernel
{
    public override void Run(KernelContext context)
    {
        var data = context.Input(0);
        var indices = context.Input(1);
        var updates = context.Input(2);
        if (!updates.Dims.SequenceEqual(indices.Dims) || updates.ElementType != data.ElementType)
            Throw.ShapeMismatch($"ScatterElements updates {updates} must match indices {indices} in shape and data {data} in type");
        var normalizedAxis = ShapeMath.NormalizeAxis(axis, data.Rank);
        var output = context.Output(0, data.ElementType, data.Dims);
        data.Bytes.CopyTo(output.Write<byte>());
        var count = indices.ElementCount;
        var offsets = ArrayPool<int>.Shared.Rent(2 * count);
        var targetOffsets = offsets.AsSpan(0, count);
        var updateOffsets = offsets.AsSpan(count, count);
        ElementIndexing.DataOffsets(indices, data.Dims, normalizedAxis, "ScatterElements", targetOffsets);
        for (var i = 0; i < count; i++)
            updateOffsets[i] = i;
        ScatterReductions.Apply(reduction, updates, updateOffsets, targetOffsets, 1, output);
        ArrayPool<int>.Shared.Return(offsets);
    }
}
