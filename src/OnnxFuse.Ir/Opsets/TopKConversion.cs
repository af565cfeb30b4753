using OnnxFuse.Ir.Graphs;

namespace OnnxFuse.Ir.Opsets;

/// <summary>TopK-1 → TopK-10: the <c>k</c> attribute becomes input 1, an int64 vector of one element.</summary>
static class TopKConversion
{
    public static void Convert(Node node, ConversionContext context)
    {
        if (node.FindAttr("k") is not { } k)
            throw context.Refuse(node, "TopK has no 'k' attribute");
        node.SetInput(1, ConversionContext.Int64s(node, "k", [k.AsInt()]));
        node.RemoveAttr("k");
    }
}
