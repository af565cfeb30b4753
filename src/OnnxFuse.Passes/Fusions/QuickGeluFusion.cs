using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Passes.Matching;
using OnnxFuse.Passes.Rewriting;

namespace OnnxFuse.Passes.Fusions;

/// <summary>
/// <c>y = x · Sigmoid(1.702 · x)</c>  ⇒  com.microsoft QuickGelu(x; alpha copied from the constant).
/// Both Muls take either operand order; the constant must be within 1e-4 (relative) of 1.702, so x · Sigmoid(x)
/// (SiLU) and other slopes are left alone.
/// </summary>
public sealed class QuickGeluFusion : RewriteRule<QuickGeluFusion.Match>
{
    public sealed record Match(Value Input, float Alpha, Node Scale, Node Sigmoid, Node Gate);

    const float Alpha = 1.702f;

    public override string Name => "quick-gelu";

    public override string Summary => "fuses x · sigmoid(1.702 · x) into com.microsoft QuickGelu";

    public override OptimizationLevel Level => OptimizationLevel.Extended;

    public override string? RootOpType => "Sigmoid";

    public override Match? TryMatch(Node root, PassContext context)
    {
        var scaled = root.Input(0);
        if (!context.AllowsMicrosoftOps || !scaled.IsOnlyReadBy(root) || scaled.ProducedBy("Mul") is not { } scale
            || Operands.SplitConstant(scale) is not var (x, alpha) || !Operands.IsScalar(alpha, Alpha, 1e-4f) || x.ElementType != ElementType.Float)
            return null;
        var gate = root.Output(0).SoleConsumer();
        return gate is { OpType: "Mul", IsDefaultDomain: true } && ReferenceEquals(Operands.Other(gate, root.Output(0)), x)
            ? new Match(x, Operands.Scalar(alpha)!.Value, scale, root, gate)
            : null;
    }

    public override void Rewrite(Match match, PassContext context) =>
        MicrosoftNodes.Replace(context, match.Gate, "QuickGelu", [match.Input], [Attr.Float("alpha", match.Alpha)]);

    public override IReadOnlyList<Node> MatchedNodes(Match match) => [match.Scale, match.Sigmoid, match.Gate];
}
