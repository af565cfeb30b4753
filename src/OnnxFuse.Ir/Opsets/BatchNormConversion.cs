using OnnxFuse.Ir.Graphs;

namespace OnnxFuse.Ir.Opsets;

/// <summary>
/// BatchNormalization-7/9 remove <c>is_test</c>, <c>consumed_inputs</c> and <c>spatial</c>; only the spatial form
/// (per-channel statistics, the default) keeps its meaning. BatchNormalization-14 gives training outputs a new
/// meaning, so an old node with more than one output is refused.
/// </summary>
static class BatchNormConversion
{
    public static void DropLegacyAttributes(Node node, ConversionContext context)
    {
        if (node.GetInt("spatial", 1) != 1)
            throw context.Refuse(node, "BatchNormalization with spatial=0 has no equivalent after opset 9");
        node.RemoveAttr("spatial");
        node.RemoveAttr("is_test");
        node.RemoveAttr("consumed_inputs");
    }

    public static void RequireInference(Node node, ConversionContext context)
    {
        if (node.Outputs.Skip(1).Any(o => o is not null))
            throw context.Refuse(node, "BatchNormalization training outputs changed meaning at opset 14");
    }
}
