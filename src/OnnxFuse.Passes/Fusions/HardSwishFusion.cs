using OnnxFuse.Ir.Editing;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Passes.Matching;
using OnnxFuse.Passes.Rewriting;

namespace OnnxFuse.Passes.Fusions;

/// <summary>
/// HardSwish written out  ⇒  HardSwish(x) = x · max(0, min(1, x/6 + ½)), the standard op of opset 14 (earlier
/// opsets are left alone):
///   x ─ Add 3 ─ Clip(0, 6) ─ Mul x ─ Div 6 | Mul ⅙        (x · Relu6(x + 3) / 6)
///   x ─ Add 3 ─ Clip(0, 6) ─ Div 6 | Mul ⅙ ─ Mul x        (x · (Relu6(x + 3) / 6))
///   x ─ HardSigmoid(α = ⅙, β = ½) ─ Mul x
/// in every operand order of Add and Mul; float32 and float64; every intermediate is read by the pattern alone.
/// </summary>
public sealed class HardSwishFusion : RewriteRule<HardSwishFusion.Match>
{
    /// <summary>The input x and the matched nodes, the root last.</summary>
    public sealed record Match(Value Input, IReadOnlyList<Node> Nodes);

    const float ConstantTolerance = 1e-6f;

    public override string Name => "hardswish";

    public override string Summary => "replaces x · Relu6(x + 3) / 6 and x · HardSigmoid(x) by HardSwish";

    public override OptimizationLevel Level => OptimizationLevel.Extended;

    public override string? RootOpType => null;

    public override Match? TryMatch(Node root, PassContext context)
    {
        if (context.Opset < 14 || !root.IsDefaultDomain || root.OpType is not ("Mul" or "Div"))
            return null;
        if (SixthOf(root) is { } product && product.ProducedBy("Mul") is { } mul && product.IsOnlyReadBy(root))
            foreach (var (x, gate) in Operands(mul))
                if (Relu6OfXPlus3(gate, x, mul, context.Opset) is { } inner)
                    return Accept(x, [.. inner, mul, root]);
        if (root.OpType != "Mul")
            return null;
        foreach (var (x, gate) in Operands(root))
        {
            if (!gate.IsOnlyReadBy(root) || gate.Producer is not { } producer)
                continue;
            if (producer.OpType == "HardSigmoid" && producer.IsDefaultDomain && ReferenceEquals(producer.Input(0), x)
                && IsClose(producer.GetFloat("alpha", 0.2f), 1f / 6) && IsClose(producer.GetFloat("beta", 0.5f), 0.5f))
                return Accept(x, [producer, root]);
            if (SixthOf(producer) is { } clipped && Relu6OfXPlus3(clipped, x, producer, context.Opset) is { } inner)
                return Accept(x, [.. inner, producer, root]);
        }
        return null;
    }

    public override void Rewrite(Match match, PassContext context)
    {
        var root = match.Nodes[^1];
        var graph = root.Graph;
        var hardSwish = graph.AddNode("HardSwish", [match.Input], [graph.UniqueValueName($"{root.Output(0).Name}_hardswish")],
            name: graph.UniqueNodeName($"{root.Name}_hardswish"));
        GraphRewriter.Bypass(root, hardSwish.Output(0));
    }

    public override IReadOnlyList<Node> MatchedNodes(Match match) => match.Nodes;

    static Match? Accept(Value x, IReadOnlyList<Node> nodes) =>
        x.ElementType is ElementType.Float or ElementType.Double ? new Match(x, nodes) : null;

    static (Value X, Value Other)[] Operands(Node node) => [(node.Input(0), node.Input(1)), (node.Input(1), node.Input(0))];

    static bool IsClose(float actual, float expected) => Math.Abs(actual - expected) <= ConstantTolerance * Math.Max(1f, Math.Abs(expected));

    /// <summary>v when <paramref name="node"/> is v / 6, v · ⅙ or ⅙ · v; else null.</summary>
    static Value? SixthOf(Node node) => node switch
    {
        { OpType: "Div", IsDefaultDomain: true } when Constants.IsScalar(node.Input(1), 6f, ConstantTolerance) => node.Input(0),
        { OpType: "Mul", IsDefaultDomain: true } when Constants.IsScalar(node.Input(1), 1f / 6, ConstantTolerance) => node.Input(0),
        { OpType: "Mul", IsDefaultDomain: true } when Constants.IsScalar(node.Input(0), 1f / 6, ConstantTolerance) => node.Input(1),
        _ => null,
    };

    /// <summary>[Add, Clip] when <paramref name="gate"/> = Clip(x + 3, 0, 6), read by <paramref name="reader"/> alone.</summary>
    static Node[]? Relu6OfXPlus3(Value gate, Value x, Node reader, long opset)
    {
        if (!gate.IsOnlyReadBy(reader) || gate.ProducedBy("Clip") is not { } clip
            || FusableActivation.TryRead(clip, opset)?.Parameters is not [var min, var max] || !IsClose(min, 0f) || !IsClose(max, 6f))
            return null;
        if (clip.Input(0).ProducedBy("Add") is not { } add || !add.Output(0).IsOnlyReadBy(clip))
            return null;
        var addsThree = (ReferenceEquals(add.Input(0), x) && Constants.IsScalar(add.Input(1), 3f, ConstantTolerance))
            || (ReferenceEquals(add.Input(1), x) && Constants.IsScalar(add.Input(0), 3f, ConstantTolerance));
        return addsThree ? [add, clip] : null;
    }
}
