using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Passes.Matching;

namespace OnnxFuse.Passes.Fusions;

/// <summary>What folding a per-channel map into a Conv's weights needs, for the passes that do it.</summary>
static class ConvFolding
{
    /// <summary>The Conv's weight [M, C/group, k…] when it, and the bias if there is one, are float32 constants; else null.</summary>
    public static TensorData? ConstantWeight(Node conv) =>
        conv.Input(1).ConstantData is { ElementType: ElementType.Float } weight
        && (conv.OptionalInput(2) is not { } bias || bias.ConstantData is { ElementType: ElementType.Float })
            ? weight
            : null;

    /// <summary>
    /// For a binary op (Mul, Add) with a Conv on one input, read by that op alone and with constant weights, and a
    /// constant on the other input that is per output channel or scalar: the Conv and that constant's per-channel
    /// values; else null.
    /// </summary>
    public static (Node Conv, float[] PerChannel)? ConvAndChannelConstant(Node binary)
    {
        foreach (var (convSide, constantSide) in new[] { (0, 1), (1, 0) })
        {
            if (binary.Input(convSide).ProducedBy("Conv") is not { } conv || !conv.Output(0).IsOnlyReadBy(binary))
                continue;
            if (ConstantWeight(conv) is not { } weight)
                return null;
            return ChannelConstants.PerChannel(binary.Input(constantSide), weight.Dims[0], weight.Rank) is { } values
                ? (conv, values)
                : null;
        }
        return null;
    }
}
