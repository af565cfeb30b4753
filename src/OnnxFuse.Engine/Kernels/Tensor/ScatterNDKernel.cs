using System.Buffers;
using OnnxFuse.Engine.Tensors;
using OnnxFuse.Ir.Errors;

namespace OnnxFuse.Engine.Kernels.Tensor;

/// <summary>
/// ScatterND: output = data, then each k-tuple of indices [..., k] addresses the slice data[i₁, …, iₖ, :], which takes
/// the matching slice of updates (shape indices.shape[..−1] + data.shape[k..]), combined by <c>reduction</c> when given.
/// </summary>
sealed class ScatterNDKernel(ScatterReduction reduction) : Kernel
{
    public override void Run(KernelContext context)
    {
        var data = context.Input(0);
        var indices = context.Input(1);
        var updates = context.Input(2);
        var k = indices.Rank == 0 ? 0 : indices.Dim(indices.Rank - 1);
        if (indices.Rank < 1 || k < 1 || k > data.Rank || updates.ElementType != data.ElementType
            || updates.Rank != indices.Rank - 1 + data.Rank - k || !updates.Dims[..(indices.Rank - 1)].SequenceEqual(indices.Dims[..^1])
            || !updates.Dims[(indices.Rank - 1)..].SequenceEqual(data.Dims[k..]))
        {
            Throw.ShapeMismatch($"ScatterND cannot scatter updates {updates} into data {data} at indices {indices}");
        }
        var output = context.Output(0, data.ElementType, data.Dims);
        data.Bytes.CopyTo(output.Write<byte>());
        Span<int> strides = stackalloc int[data.Rank];
        ShapeMath.Strides(data.Dims, strides);
        var tupleCount = indices.ElementCount / k;
        var sliceLength = ShapeMath.Product(data.Dims, k, data.Rank);
        var offsets = ArrayPool<int>.Shared.Rent(2 * tupleCount);
        var targetOffsets = offsets.AsSpan(0, tupleCount);
        var updateOffsets = offsets.AsSpan(tupleCount, tupleCount);
        for (var t = 0; t < tupleCount; t++)
        {
            var offset = 0;
            for (var axis = 0; axis < k; axis++)
                offset += IntTensors.IndexOnAxis(indices, t * k + axis, data.Dim(axis), "ScatterND") * strides[axis];
            targetOffsets[t] = offset;
            updateOffsets[t] = t * sliceLength;
        }
        ScatterReductions.Apply(reduction, updates, updateOffsets, targetOffsets, sliceLength, output);
        ArrayPool<int>.Shared.Return(offsets);
    }
}
