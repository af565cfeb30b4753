using OnnxFuse.Ir.Editing;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Passes.Matching;
using OnnxFuse.Passes.Rewriting;

namespace OnnxFuse.Passes.Fusions;

/// <summary>
/// Decomposed RMS normalization  ⇒  SimplifiedLayerNormalization(x, γ; axis = −1, ε copied).
/// <code>
/// s = √(ReduceMean(x², [-1]) + ε);   y = x / s · γ     or   y = x · Reciprocal(s) · γ   (or x · (1 / s) · γ)
/// </code>
/// x² is Pow(x, 2) or Mul(x, x); γ (a constant [hidden] vector) is optional and written out as ones when absent.
/// SimplifiedLayerNormalization is an ONNX Runtime contrib op that ONNX Runtime registers in the ONNX domain
/// (version 1), not a standard op, so this pass needs contrib ops to be allowed.
/// </summary>
public sealed class RmsNormFusion : RewriteRule<RmsNormFusion.Match>
{
    public sealed record Match(Value Input, Value? Scale, float Epsilon, long HiddenSize, Node Last, IReadOnlyList<Node> Nodes);

    public override string Name => "rmsnorm";

    public override string Summary => "fuses x / √(mean(x²) + ε) · γ into SimplifiedLayerNormalization";

    public override OptimizationLevel Level => OptimizationLevel.Extended;

    public override string? RootOpType => null;

    public override Match? TryMatch(Node root, PassContext context)
    {
        if (!context.AllowsMicrosoftOps || root is not { OpType: "Mul" or "Div", IsDefaultDomain: true }
            || AffineTail.Read(root) is not { Bias: null } tail || Normalized(tail.Core) is not var (x, denominator, inverse)
            || RootMeanSquare.Read(denominator, x) is not { } rms)
            return null;
        if (x.ElementType != ElementType.Float || x.LastDim() is not { } hidden || !tail.Fits(hidden))
            return null;
        return new Match(x, tail.Scale, rms.Epsilon, hidden, root, [.. rms.Nodes, .. inverse, tail.Core, .. tail.Nodes]);
    }

    public override void Rewrite(Match match, PassContext context)
    {
        var graph = match.Last.Graph;
        var scale = match.Scale ?? PassContext.AddConstant(graph, $"{match.Last.Name}_scale",
            TensorData.Create<float>([match.HiddenSize], Enumerable.Repeat(1f, (int)match.HiddenSize).ToArray()));
        GraphRewriter.ReplaceNode(match.Last, "SimplifiedLayerNormalization", [match.Input, scale],
            [Attr.Int("axis", -1), Attr.Float("epsilon", match.Epsilon)]);
    }

    public override IReadOnlyList<Node> MatchedNodes(Match match) => match.Nodes;

    /// <summary>x / s, x · Reciprocal(s) or x · (1 / s): x, s and the node inverting s (if any).</summary>
    static (Value Input, Value Denominator, Node[] Inverse)? Normalized(Node core)
    {
        if (core is { OpType: "Div", IsDefaultDomain: true })
            return (core.Input(0), core.Input(1), []);
        if (core is not { OpType: "Mul", IsDefaultDomain: true, Inputs.Count: 2 })
            return null;
        foreach (var (x, inverted) in new[] { (core.Input(0), core.Input(1)), (core.Input(1), core.Input(0)) })
        {
            if (inverted.Producer is not { IsDefaultDomain: true } inverse || !inverted.IsOnlyReadBy(core))
                continue;
            if (inverse.OpType == "Reciprocal" || inverse.OpType == "Div" && Operands.IsScalar(inverse.Input(0), 1f))
                return (x, inverse.Inputs[^1]!, [inverse]);
        }
        return null;
    }
}
