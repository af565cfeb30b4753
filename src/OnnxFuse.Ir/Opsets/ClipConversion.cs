using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Ir.Opsets;

/// <summary>Clip-6 → Clip-11: the <c>min</c>/<c>max</c> attributes become inputs 1 and 2 (scalars of the input's type).</summary>
static class ClipConversion
{
    public static void Convert(Node node, ConversionContext context)
    {
        var elementType = node.Input(0).ElementType ?? ElementType.Float;
        if (node.FindAttr("min") is { } min)
            node.SetInput(1, ConversionContext.Constant(node, "min", ConversionContext.Scalar(elementType, min.AsFloat())));
        if (node.FindAttr("max") is { } max)
            node.SetInput(2, ConversionContext.Constant(node, "max", ConversionContext.Scalar(elementType, max.AsFloat())));
        node.RemoveAttr("min");
        node.RemoveAttr("max");
    }
}
