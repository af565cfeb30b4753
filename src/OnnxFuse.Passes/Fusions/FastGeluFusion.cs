using OnnxFuse.Ir.Editing;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Passes.Matching;
using OnnxFuse.Passes.Rewriting;

namespace OnnxFuse.Passes.Fusions;

/// <summary>
/// Tanh-approximated GELU  ⇒  Gelu(x, approximate = "tanh") from opset 20, com.microsoft FastGelu(x) before.
/// <code>
/// y = x · 0.5 · (1 + Tanh(√(2/π) · (x + 0.044715 · x³)))        x³ as Pow(x, 3) or x · x · x
/// </code>
/// Every Mul and Add takes either operand order and the final product any association (<see cref="GeluTail"/>);
/// √(2/π) and 0.044715 are compared with a relative tolerance of 1e-4, 0.5, 1 and 3 exactly.
/// </summary>
public sealed class FastGeluFusion : RewriteRule<FastGeluFusion.Match>
{
    public sealed record Match(Value Input, Node Last, IReadOnlyList<Node> Nodes);

    const float Tolerance = 1e-4f;
    static readonly float s_sqrtTwoOverPi = MathF.Sqrt(2f / MathF.PI);

    public override string Name => "fast-gelu";

    public override string Summary => "fuses the tanh approximation of GELU into FastGelu (Gelu with approximate=tanh at opset ≥ 20)";

    public override OptimizationLevel Level => OptimizationLevel.Extended;

    public override string? RootOpType => "Tanh";

    public override Match? TryMatch(Node root, PassContext context)
    {
        if (context.Opset < 20 && !context.AllowsMicrosoftOps)
            return null;
        var scaled = root.Input(0);
        if (!scaled.IsOnlyReadBy(root) || scaled.ProducedBy("Mul") is not { } scale || Operands.SplitConstant(scale) is not var (inner, factor)
            || !Operands.IsScalar(factor, s_sqrtTwoOverPi, Tolerance) || !inner.IsOnlyReadBy(scale) || inner.ProducedBy("Add") is not { Inputs.Count: 2 } add)
            return null;
        foreach (var (x, cubicTerm) in new[] { (add.Input(0), add.Input(1)), (add.Input(1), add.Input(0)) })
        {
            if (x.IsConstant || x.ElementType != ElementType.Float || CubicTerm(cubicTerm, x, add) is not { } cubicNodes)
                continue;
            if (GeluTail.Read(root.Output(0), x) is { } tail)
                return new Match(x, tail.Last, [.. cubicNodes, add, scale, root, .. tail.Nodes]);
        }
        return null;
    }

    public override void Rewrite(Match match, PassContext context)
    {
        if (context.Opset >= 20)
            GraphRewriter.ReplaceNode(match.Last, "Gelu", [match.Input], [Attr.String("approximate", "tanh")]);
        else
            MicrosoftNodes.Replace(context, match.Last, "FastGelu", [match.Input]);
    }

    public override IReadOnlyList<Node> MatchedNodes(Match match) => match.Nodes;

    /// <summary>The nodes of 0.044715 · x³ producing <paramref name="term"/> (read only by <paramref name="add"/>), or null.</summary>
    static Node[]? CubicTerm(Value term, Value x, Node add)
    {
        if (!term.IsOnlyReadBy(add) || term.ProducedBy("Mul") is not { } scale || Operands.SplitConstant(scale) is not var (cube, coefficient)
            || !Operands.IsScalar(coefficient, 0.044715f, Tolerance) || !cube.IsOnlyReadBy(scale))
            return null;
        if (cube.ProducedBy("Pow") is { } pow)
            return ReferenceEquals(pow.Input(0), x) && Operands.IsScalar(pow.Input(1), 3f) ? [pow, scale] : null;
        if (cube.ProducedBy("Mul") is not { } outer || Operands.Other(outer, x) is not { } squared || !squared.IsOnlyReadBy(outer)
            || squared.ProducedBy("Mul") is not { } inner || !ReferenceEquals(inner.Input(0), x) || !ReferenceEquals(inner.Input(1), x))
            return null;
        return [inner, outer, scale];
    }
}
