using OnnxFuse.Ir.Tensors;
using OnnxFuse.Onnx.Protos;

namespace OnnxFuse.Onnx.Conversion;

/// <summary><c>SparseTensorProto</c> ⇄ <see cref="SparseTensorData"/>; the name lives on the values tensor, as in ONNX.</summary>
static class SparseTensorConverter
{
    public static SparseTensorData ToIr(SparseTensorProto proto, LoadContext context, string what)
    {
        if (proto.Values is null || proto.Indices is null)
            context.Fail($"{what} lacks its values or indices");
        foreach (var dim in proto.Dims)
        {
            if (dim < 0)
                context.Fail($"{what} has negative dimension {dim}");
        }
        return new SparseTensorData(
            TensorConverter.ToIr(proto.Values, context, $"{what} values"),
            TensorConverter.ToIr(proto.Indices, context, $"{what} indices"),
            proto.Dims.ToArray());
    }

    public static SparseTensorProto ToProto(SparseTensorData sparse, string name)
    {
        var proto = new SparseTensorProto
        {
            Values = TensorConverter.ToProto(sparse.Values, name, externalData: null),
            Indices = TensorConverter.ToProto(sparse.Indices, sparse.Indices.Name ?? "", externalData: null),
        };
        proto.Dims.AddRange(sparse.Dims);
        return proto;
    }
}
