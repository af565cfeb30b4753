using OnnxFuse.Ir.Editing;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Passes.Matching;
using OnnxFuse.Passes.Rewriting;

namespace OnnxFuse.Passes.Fusions;

/// <summary>
/// Gemm → Relu | LeakyRelu | Sigmoid | HardSigmoid | Tanh  ⇒  com.microsoft.FusedGemm(A, B, C) with the Gemm's
/// attributes, <c>activation</c> = the op type and the activation's own attributes prefixed <c>activation_</c>
/// (<c>activation_alpha</c>, <c>activation_beta</c>, defaults written out), as ONNX Runtime's FusedGemm reads them.
/// float32 only. Clip stays: FusedGemm has no Clip.
/// </summary>
public sealed class GemmActivationFusion : RewriteRule<GemmActivationFusion.Match>
{
    public sealed record Match(Node Gemm, Node Activation, FusableActivation Kind);

    static readonly string[] s_parameterNames = ["activation_alpha", "activation_beta"];

    public override string Name => "gemm-activation";

    public override string Summary => "fuses Gemm and the activation after it into com.microsoft.FusedGemm";

    public override OptimizationLevel Level => OptimizationLevel.Extended;

    public override string? RootOpType => "Gemm";

    public override Match? TryMatch(Node root, PassContext context)
    {
        if (!context.AllowsMicrosoftOps || root.Output(0).ElementType != ElementType.Float)
            return null;
        if (root.Output(0).SoleConsumer() is not { } activation || !ReferenceEquals(activation.Input(0), root.Output(0)))
            return null;
        return FusableActivation.TryRead(activation, context.Opset) is { Name: not "Clip" } kind ? new Match(root, activation, kind) : null;
    }

    public override void Rewrite(Match match, PassContext context)
    {
        var (gemm, activation, kind) = match;
        var graph = gemm.Graph;
        List<Attr> attributes = [.. gemm.Attributes, Attr.String("activation", kind.Name)];
        attributes.AddRange(kind.Parameters.Select((value, i) => Attr.Float(s_parameterNames[i], value)));
        var fused = context.AddMicrosoftNode(graph, "FusedGemm", gemm.Inputs, [graph.UniqueValueName($"{activation.Output(0).Name}_fused")],
            attributes, graph.UniqueNodeName($"{gemm.Name}_{kind.Name}"));
        GraphRewriter.Bypass(activation, fused.Output(0));
    }

    public override IReadOnlyList<Node> MatchedNodes(Match match) => [match.Gemm, match.Activation];
}
