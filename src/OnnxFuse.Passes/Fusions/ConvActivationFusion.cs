using OnnxFuse.Ir.Editing;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Passes.Matching;
using OnnxFuse.Passes.Rewriting;

namespace OnnxFuse.Passes.Fusions;

/// <summary>
/// Conv → Relu | Clip (constant bounds; Relu6 is Clip(0, 6)) | LeakyRelu | Sigmoid | HardSigmoid | Tanh
/// ⇒  com.microsoft.FusedConv(X, W, B) with the Conv's attributes, <c>activation</c> = the op type and
/// <c>activation_params</c> = [α] (LeakyRelu), [α, β] (HardSigmoid) or [min, max] (Clip), as ONNX Runtime reads them.
/// float32 1-D and 2-D convolutions only, which ONNX Runtime's CPU FusedConv and the engine both run.
/// SiLU (Conv → Sigmoid → Mul by the Conv's output) stays: ONNX Runtime 1.30's FusedConv rejects a "Silu" activation
/// (later sources add one) and the engine has none, so <see cref="QuickGeluFusion"/> makes it Conv → QuickGelu(α = 1).
/// A squeeze-excitation block (GlobalAveragePool → Conv 1×1 → Relu → Conv 1×1 → Sigmoid | HardSigmoid → Mul by the
/// block's input) is fused by this pass alone: both convolutions take their activations, and the pooling and the
/// gating Mul stay, since neither ONNX nor ONNX Runtime has a squeeze-excitation op.
/// </summary>
public sealed class ConvActivationFusion : RewriteRule<ConvActivationFusion.Match>
{
    public sealed record Match(Node Conv, Node Activation, FusableActivation Kind);

    public override string Name => "conv-activation";

    public override string Summary => "fuses Conv and the activation after it into com.microsoft.FusedConv";

    public override OptimizationLevel Level => OptimizationLevel.Extended;

    public override string? RootOpType => "Conv";

    public override Match? TryMatch(Node root, PassContext context)
    {
        if (!context.AllowsMicrosoftOps || root.Output(0).ElementType != ElementType.Float || root.Input(1).Shape?.Rank is not (3 or 4))
            return null;
        if (root.Output(0).SoleConsumer() is not { } activation || !ReferenceEquals(activation.Input(0), root.Output(0)))
            return null;
        return FusableActivation.TryRead(activation, context.Opset) is { } kind ? new Match(root, activation, kind) : null;
    }

    public override void Rewrite(Match match, PassContext context)
    {
        var (conv, activation, kind) = match;
        var graph = conv.Graph;
        List<Attr> attributes = [.. conv.Attributes, Attr.String("activation", kind.Name)];
        if (kind.Parameters.Length > 0)
            attributes.Add(Attr.Floats("activation_params", kind.Parameters));
        var fused = context.AddMicrosoftNode(graph, "FusedConv", conv.Inputs, [graph.UniqueValueName($"{activation.Output(0).Name}_fused")],
            attributes, graph.UniqueNodeName($"{conv.Name}_{kind.Name}"));
        GraphRewriter.Bypass(activation, fused.Output(0));
    }

    public override IReadOnlyList<Node> MatchedNodes(Match match) => [match.Conv, match.Activation];
}
