using OnnxFuse.Engine.Tensors;
using OnnxFuse.Ir.Errors;

namespace OnnxFuse.Engine.Kernels.Tensor;

/// <summary>
/// The addressing GatherElements and ScatterElements share: for each element of <c>indices</c> (same rank as data),
/// the data element at the same coordinates except along <c>axis</c>, where the index value is used instead.
/// </summary>
static class ElementIndexing
{
    /// <summary>Writes, for every element of <paramref name="indices"/> in order, the flat data offset it addresses.</summary>
    public static void DataOffsets(RuntimeTensor indices, ReadOnlySpan<int> dataDims, int axis, string opType, Span<int> offsets)
    {
        var rank = dataDims.Length;
        if (indices.Rank != rank)
            Throw.ShapeMismatch($"{opType} indices {indices} must have the data's rank {rank}");
        Span<int> strides = stackalloc int[rank];
        ShapeMath.Strides(dataDims, strides);
        Span<int> coordinates = stackalloc int[rank];
        for (var i = 0; i < indices.ElementCount; i++)
        {
            var offset = 0;
            for (var d = 0; d < rank; d++)
            {
                if (d != axis && coordinates[d] >= dataDims[d])
                    Throw.ShapeMismatch($"{opType} indices {indices} reach past the data's {ShapeMath.Format(dataDims)} on axis {d}");
                offset += (d == axis ? IntTensors.IndexOnAxis(indices, i, dataDims[axis], opType) : coordinates[d]) * strides[d];
            }
            offsets[i] = offset;
            for (var d = rank - 1; d >= 0 && ++coordinates[d] == indices.Dim(d); d--)
                coordinates[d] = 0;
        }
    }
}
