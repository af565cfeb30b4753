using OnnxFuse.Engine.Tensors;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.Tensor;

/// <summary>
/// Gather: output = data indexed along <c>axis</c> by <c>indices</c> (int64 or int32, negative counts from the end);
/// shape data[..axis] + indices + data[axis+1..]. Copies whole slices as bytes.
/// </summary>
sealed class GatherKernel(long axis) : Kernel
{
    public override void Run(KernelContext context)
    {
        var data = context.Input(0);
        var indices = context.Input(1);
        var normalizedAxis = ShapeMath.NormalizeAxis(axis, data.Rank);
        Span<int> dims = stackalloc int[data.Rank - 1 + indices.Rank];
        data.Dims[..normalizedAxis].CopyTo(dims);
        indices.Dims.CopyTo(dims[normalizedAxis..]);
        data.Dims[(normalizedAxis + 1)..].CopyTo(dims[(normalizedAxis + indices.Rank)..]);
        var output = context.Output(0, data.ElementType, dims);
        var elementSize = data.ElementSize;
        var outerCount = ShapeMath.Product(data.Dims, 0, normalizedAxis);
        var axisSize = data.Dim(normalizedAxis);
        var sliceBytes = ShapeMath.Product(data.Dims, normalizedAxis + 1, data.Rank) * elementSize;
        var source = data.Bytes;
        var target = output.Write<byte>();
        var indexCount = indices.ElementCount;
        var longIndices = indices.ElementType == ElementType.Int64 ? indices.Read<long>() : default;
        var intIndices = indices.ElementType == ElementType.Int32 ? indices.Read<int>() : default;
        for (var outer = 0; outer < outerCount; outer++)
        {
            for (var i = 0; i < indexCount; i++)
            {
                var index = longIndices.IsEmpty ? intIndices[i] : longIndices[i];
                if (index < 0)
                    index += axisSize;
                if ((ulong)index >= (ulong)axisSize)
                    Throw.ShapeMismatch($"Gather index {index} is out of range for axis of size {axisSize}");
                source.Slice((outer * axisSize + (int)index) * sliceBytes, sliceBytes)
                    .CopyTo(target.Slice((outer * indexCount + i) * sliceBytes, sliceBytes));
            }
        }
    }
}
