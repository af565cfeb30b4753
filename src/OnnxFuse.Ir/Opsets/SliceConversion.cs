using OnnxFuse.Ir.Graphs;

namespace OnnxFuse.Ir.Opsets;

/// <summary>Slice-1 → Slice-10: <c>starts</c>, <c>ends</c> and <c>axes</c> become inputs 1, 2 and 3 (int64 vectors).</summary>
static class SliceConversion
{
    public static void Convert(Node node, ConversionContext context)
    {
        if (node.GetInts("starts") is null || node.GetInts("ends") is null)
            throw context.Refuse(node, "Slice needs 'starts' and 'ends' attributes");
        ConversionContext.IntsToInput(node, "starts", 1);
        ConversionContext.IntsToInput(node, "ends", 2);
        ConversionContext.IntsToInput(node, "axes", 3);
    }
}
