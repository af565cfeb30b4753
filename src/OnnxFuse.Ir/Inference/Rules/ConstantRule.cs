using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;

namespace OnnxFuse.Ir.Inference.Rules;

/// <summary>
/// Constant: the type of whichever <c>value*</c> attribute it carries (tensor, sparse tensor, float(s), int(s),
/// string(s)); integer values also become known contents.
/// </summary>
sealed class ConstantRule : IShapeRule
{
    public static ConstantRule Instance { get; } = new();

    public void Infer(InferenceContext context)
    {
        var attr = context.Node.Attributes.FirstOrDefault(a => a.Name.StartsWith("value", StringComparison.Ordinal) || a.Name == "sparse_value");
        if (attr is null)
        {
            context.Unknown("Constant has no value attribute");
            return;
        }
        switch (attr.Kind)
        {
            case AttrKind.Tensor:
                var tensor = attr.AsTensor();
                context.SetOutput(0, tensor.ElementType, Shape.Of([.. tensor.Dims]));
                context.SetOutputData(0, DataOf(tensor));
                break;
            case AttrKind.SparseTensor:
                var sparse = attr.AsSparseTensor();
                context.SetOutput(0, sparse.Values.ElementType, Shape.Of([.. sparse.Dims]));
                break;
            case AttrKind.Float:
                context.SetOutput(0, ElementType.Float, Shape.Scalar);
                break;
            case AttrKind.Floats:
                context.SetOutput(0, ElementType.Float, Shape.Of(attr.AsFloats().Count));
                break;
            case AttrKind.Int:
                context.SetOutput(0, ElementType.Int64, Shape.Scalar);
                context.SetOutputData(0, PartialData.Scalar(attr.AsInt()));
                break;
            case AttrKind.Ints:
                context.SetOutput(0, ElementType.Int64, Shape.Of(attr.AsInts().Count));
                context.SetOutputData(0, PartialData.Vector(attr.AsInts()));
                break;
            case AttrKind.String:
                context.SetOutput(0, ElementType.String, Shape.Scalar);
                break;
            case AttrKind.Strings:
                context.SetOutput(0, ElementType.String, Shape.Of(attr.AsStrings().Count));
                break;
            default:
                context.Unknown($"Constant attribute '{attr.Name}' of kind {attr.Kind}");
                break;
        }
    }

    static PartialData? DataOf(TensorData tensor)
    {
        if (tensor.ElementCount > PartialData.MaxElements)
            return null;
        long[]? values = tensor.ElementType switch
        {
            ElementType.Int64 => tensor.ToArray<long>(),
            ElementType.Int32 => [.. tensor.ToArray<int>().Select(v => (long)v)],
            _ => null,
        };
        return values is null ? null : new PartialData([.. tensor.Dims], [.. values.Select(Dim.Of)]);
    }
}
