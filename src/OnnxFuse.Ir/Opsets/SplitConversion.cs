using OnnxFuse.Ir.Graphs;

namespace OnnxFuse.Ir.Opsets;

/// <summary>
/// Split-13: the <c>split</c> attribute becomes input 1. Split-18: without a <c>split</c> input the number of
/// outputs must be stated in <c>num_outputs</c>.
/// </summary>
static class SplitConversion
{
    public static void SplitToInput(Node node, ConversionContext context) => ConversionContext.IntsToInput(node, "split", 1);

    public static void StateOutputCount(Node node, ConversionContext context)
    {
        if (node.OptionalInput(1) is null && !node.HasAttr("num_outputs"))
            node.SetAttr(Attr.Int("num_outputs", node.Outputs.Count));
    }
}
