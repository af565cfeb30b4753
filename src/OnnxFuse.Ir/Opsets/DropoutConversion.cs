using OnnxFuse.Ir.Graphs;

namespace OnnxFuse.Ir.Opsets;

/// <summary>
/// Dropout-7 drops <c>is_test</c>, Dropout-12 turns <c>ratio</c> into an optional input. In inference Dropout is the
/// identity whatever the ratio, so both attributes are simply removed.
/// </summary>
static class DropoutConversion
{
    public static void Convert(Node node, ConversionContext context)
    {
        node.RemoveAttr("is_test");
        node.RemoveAttr("ratio");
    }
}
