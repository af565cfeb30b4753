using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Passes.Matching;
using OnnxFuse.Passes.Rewriting;

namespace OnnxFuse.Passes.Fusions;

/// <summary>
/// <c>y = x · Sigmoid(α · x)</c>  ⇒  com.microsoft QuickGelu(x; alpha = α), which computes exactly that for any α:
/// QuickGelu proper (α = 1.702, CLIP-style exports), Swish-β (α = β), and SiLU written without a scale,
/// <c>x · Sigmoid(x)</c> (α = 1). Muls take either operand order; α must be a finite one-element float constant.
/// </summary>
public sealed class QuickGeluFusion : RewriteRule<QuickGeluFusion.Match>
{
    /// <summary><paramref name="Scale"/> is null for the SiLU form, which has no α·x.</summary>
    public sealed record Match(Value Input, float Alpha, Node? Scale, Node Sigmoid, Node Gate);

    public override string Name => "quick-gelu";

    public override string Summary => "fuses x · sigmoid(α · x) (QuickGelu, Swish, SiLU) into com.microsoft QuickGelu";

    public override OptimizationLevel Level => OptimizationLevel.Extended;

    public override string? RootOpType => "Sigmoid";

    public override Match? TryMatch(Node root, PassContext context)
    {
        if (!context.AllowsMicrosoftOps || root.Output(0).SoleConsumer() is not { OpType: "Mul", IsDefaultDomain: true } gate)
            return null;
        var gated = Operands.Other(gate, root.Output(0));
        var scaled = root.Input(0);
        if (ReferenceEquals(gated, scaled))
            return gated.ElementType == ElementType.Float ? new Match(gated, 1f, null, root, gate) : null;
        if (!scaled.IsOnlyReadBy(root) || scaled.ProducedBy("Mul") is not { } scale || Operands.SplitConstant(scale) is not var (x, alpha)
            || Operands.Scalar(alpha) is not { } slope || !float.IsFinite(slope) || x.ElementType != ElementType.Float)
            return null;
        return ReferenceEquals(gated, x) ? new Match(x, slope, scale, root, gate) : null;
    }

    public override void Rewrite(Match match, PassContext context) =>
        MicrosoftNodes.Replace(context, match.Gate, "QuickGelu", [match.Input], [Attr.Float("alpha", match.Alpha)]);

    public override IReadOnlyList<Node> MatchedNodes(Match match) =>
        match.Scale is { } scale ? [scale, match.Sigmoid, match.Gate] : [match.Sigmoid, match.Gate];
}
