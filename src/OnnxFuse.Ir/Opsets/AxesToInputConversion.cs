using OnnxFuse.Ir.Graphs;

namespace OnnxFuse.Ir.Opsets;

/// <summary>
/// Squeeze/Unsqueeze/ReduceSum at 13 and the other Reduce* ops at 18: the <c>axes</c> attribute becomes input 1
/// (an int64 vector); an absent attribute stays an absent input, which keeps "all axes" for reductions.
/// </summary>
static class AxesToInputConversion
{
    public static void Convert(Node node, ConversionContext context) => ConversionContext.IntsToInput(node, "axes", 1);
}
