using OnnxFuse.Ir.Editing;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Passes.Matching;
using OnnxFuse.Passes.Rewriting;

namespace OnnxFuse.Passes.Fusions;

/// <summary>
/// Exact (erf) GELU  ⇒  Gelu(x): the standard op from opset 20, com.microsoft Gelu before.
/// <code>
/// y = x · 0.5 · (1 + Erf(x / √2))        x / √2 as Div(x, 1.4142135) or Mul(x, 0.70710677)
/// </code>
/// The product may be associated and ordered any way (<see cref="GeluTail"/>); √2 and 1/√2 are compared with a
/// relative tolerance of 1e-4, 0.5 and 1 exactly.
/// </summary>
public sealed class GeluFusion : RewriteRule<GeluFusion.Match>
{
    public sealed record Match(Value Input, Node Last, IReadOnlyList<Node> Nodes);

    const float Tolerance = 1e-4f;

    public override string Name => "gelu";

    public override string Summary => "fuses x · 0.5 · (1 + erf(x / √2)) into Gelu";

    public override OptimizationLevel Level => OptimizationLevel.Extended;

    public override string? RootOpType => "Erf";

    public override Match? TryMatch(Node root, PassContext context)
    {
        if (context.Opset < 20 && !context.AllowsMicrosoftOps)
            return null;
        var scaled = root.Input(0);
        if (!scaled.IsOnlyReadBy(root) || ScaledInput(scaled) is not { } x || x.IsConstant || x.ElementType != ElementType.Float)
            return null;
        return GeluTail.Read(root.Output(0), x) is { } tail ? new Match(x, tail.Last, [scaled.Producer!, root, .. tail.Nodes]) : null;
    }

    public override void Rewrite(Match match, PassContext context)
    {
        if (context.Opset >= 20)
            GraphRewriter.ReplaceNode(match.Last, "Gelu", [match.Input]);
        else
            MicrosoftNodes.Replace(context, match.Last, "Gelu", [match.Input]);
    }

    public override IReadOnlyList<Node> MatchedNodes(Match match) => match.Nodes;

    /// <summary>x when <paramref name="scaled"/> is x / √2 or x · (1/√2).</summary>
    static Value? ScaledInput(Value scaled) => scaled.Producer switch
    {
        { OpType: "Div", IsDefaultDomain: true } div when Operands.IsScalar(div.Input(1), MathF.Sqrt(2f), Tolerance) => div.Input(0),
        { OpType: "Mul", IsDefaultDomain: true } mul when Operands.SplitConstant(mul) is var (x, c) && Operands.IsScalar(c, 1f / MathF.Sqrt(2f), Tolerance) => x,
        _ => null,
    };
}
