using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;

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
}
