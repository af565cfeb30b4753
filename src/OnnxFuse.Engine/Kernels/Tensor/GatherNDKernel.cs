using OnnxFuse.Engine.Tensors;
using OnnxFuse.Ir.Errors;

namespace OnnxFuse.Engine.Kernels.Tensor;

/// <summary>
/// GatherND: indices [..., m] address slices of data after its first <c>batch_dims</c> dimensions; each m-tuple picks
/// data[batch, i₁, …, iₘ, :] (negative indices count from the end). Output shape indices.shape[..−1] +
/// data.shape[batch_dims + m..]. Any element type (copied as bytes).
/// </summary>
sealed class GatherNDKernel(int batchDims) : Kernel
{
    public override void Run(KernelContext context)
    {
        var data = context.Input(0);
        var indices = context.Input(1);
        var m = indices.Rank == 0 ? 0 : indices.Dim(indices.Rank - 1);
        if (indices.Rank < 1 || batchDims < 0 || batchDims >= Math.Min(data.Rank, indices.Rank) || m < 1 || batchDims + m > data.Rank
            || !data.Dims[..batchDims].SequenceEqual(indices.Dims[..batchDims]))
        {
            Throw.ShapeMismatch($"GatherND cannot index data {data} with indices {indices} and batch_dims {batchDims}");
        }
        Span<int> dims = stackalloc int[indices.Rank - 1 + data.Rank - batchDims - m];
        indices.Dims[..^1].CopyTo(dims);
        data.Dims[(batchDims + m)..].CopyTo(dims[(indices.Rank - 1)..]);
        var output = context.Output(0, data.ElementType, dims);
        Span<int> strides = stackalloc int[data.Rank];
        ShapeMath.Strides(data.Dims, strides);
        var batchCount = ShapeMath.Product(data.Dims, 0, batchDims);
        var tupleCount = batchCount == 0 ? 0 : indices.ElementCount / m / batchCount;
        var sliceBytes = ShapeMath.Product(data.Dims, batchDims + m, data.Rank) * data.ElementSize;
        var batchStride = ShapeMath.Product(data.Dims, batchDims, data.Rank);
        var source = data.Bytes;
        var target = output.Write<byte>();
        for (var batch = 0; batch < batchCount; batch++)
        {
            for (var t = 0; t < tupleCount; t++)
            {
                var tuple = batch * tupleCount + t;
                var offset = batch * batchStride;
                for (var k = 0; k < m; k++)
                {
                    var axis = batchDims + k;
                    offset += IntTensors.IndexOnAxis(indices, tuple * m + k, data.Dim(axis), "GatherND") * strides[axis];
                }
                source.Slice(offset * data.ElementSize, sliceBytes).CopyTo(target.Slice(tuple * sliceBytes, sliceBytes));
            }
        }
    }
}
