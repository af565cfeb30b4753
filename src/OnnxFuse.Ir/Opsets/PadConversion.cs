using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Ir.Opsets;

/// <summary>Pad-2 → Pad-11: <c>pads</c> becomes input 1 (int64) and <c>value</c> input 2 (a scalar of the input's type).</summary>
static class PadConversion
{
    public static void Convert(Node node, ConversionContext context)
    {
        if (node.GetInts("pads") is not { } pads)
            throw context.Refuse(node, "Pad has no 'pads' attribute");
        node.SetInput(1, ConversionContext.Int64s(node, "pads", pads));
        var value = node.GetFloat("value", 0f);
        if (value != 0f)
        {
            var elementType = node.Input(0).ElementType ?? ElementType.Float;
            node.SetInput(2, ConversionContext.Constant(node, "value", ConversionContext.Scalar(elementType, value)));
        }
        node.RemoveAttr("pads");
        node.RemoveAttr("value");
    }
}
