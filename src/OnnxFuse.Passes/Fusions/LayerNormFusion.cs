using OnnxFuse.Ir.Editing;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Passes.Rewriting;

namespace OnnxFuse.Passes.Fusions;

/// <summary>
/// Decomposed layer normalization  ⇒  LayerNormalization(x, γ, β; axis = −1, ε copied), at opset 17 and later.
/// <code>
/// μ = ReduceMean(x, [-1]);  d = x − μ;  y = d / √(ReduceMean(d², [-1]) + ε) · γ + β
/// </code>
/// γ and β are optional (γ = 1 is then written out, since LayerNormalization needs a scale); see
/// <see cref="LayerNormPattern"/> for the forms accepted. Below opset 17 ONNX has no LayerNormalization (ONNX
/// Runtime's old contrib kernel in the ONNX domain is not standard), so this pass does not match there;
/// <see cref="SkipLayerNormFusion"/> fuses the chain directly when an Add feeds it, as in every transformer block.
/// </summary>
public sealed class LayerNormFusion : RewriteRule<LayerNormPattern>
{
    public override string Name => "layernorm";

    public override string Summary => "fuses the decomposed ReduceMean/Sub/Pow/Sqrt/Div chain into LayerNormalization (opset ≥ 17)";

    public override OptimizationLevel Level => OptimizationLevel.Extended;

    public override string? RootOpType => null;

    public override LayerNormPattern? TryMatch(Node root, PassContext context) =>
        context.Opset >= 17 && root is { OpType: "Add" or "Mul" or "Div", IsDefaultDomain: true } ? LayerNormPattern.FromChain(root) : null;

    public override void Rewrite(LayerNormPattern match, PassContext context)
    {
        var inputs = new List<Value?> { match.Input, match.ScaleOrOnes(match.Last.Graph) };
        if (match.Bias is { } bias)
            inputs.Add(bias);
        GraphRewriter.ReplaceNode(match.Last, "LayerNormalization", inputs, [Attr.Int("axis", -1), Attr.Float("epsilon", match.Epsilon)]);
    }

    public override IReadOnlyList<Node> MatchedNodes(LayerNormPattern match) => match.Nodes;
}
