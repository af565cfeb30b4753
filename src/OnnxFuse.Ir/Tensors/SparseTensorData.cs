namespace OnnxFuse.Ir.Tensors;

/// <summary>
/// ONNX's COO sparse tensor: <paramref name="Values"/> [NNZ], <paramref name="Indices"/> int64 [NNZ, rank] or
/// linearized [NNZ], and the dense <paramref name="Dims"/>.
/// </summary>
public sealed record SparseTensorData(TensorData Values, TensorData Indices, IReadOnlyList<long> Dims)
{
    public bool ContentEquals(SparseTensorData other) =>
        Values.ContentEquals(other.Values) && Indices.ContentEquals(other.Indices) && Dims.SequenceEqual(other.Dims);
}
