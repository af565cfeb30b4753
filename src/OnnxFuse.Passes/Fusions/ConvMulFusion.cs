using OnnxFuse.Ir.Editing;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Passes.Matching;
using OnnxFuse.Passes.Rewriting;

namespace OnnxFuse.Passes.Fusions;

/// <summary>
/// Conv → Mul(·, c) (either operand order), c constant per output channel ([M,1,…], [1,M,1,…]) or scalar
/// ⇒  Conv with W'[o] = W[o] · c[o] and B' = B · c.  A c that would broadcast over the batch or a spatial axis, or
/// grow the output, is refused. With conv-add this folds re-parameterized blocks (Conv, then a scale and a shift).
/// </summary>
public sealed class ConvMulFusion : RewriteRule<ConvMulFusion.Match>
{
    public sealed record Match(Node Conv, Node Mul, float[] Factor);

    public override string Name => "conv-mul";

    public override string Summary => "folds a per-channel constant Mul into the Conv's weights and bias";

    public override OptimizationLevel Level => OptimizationLevel.Basic;

    public override string? RootOpType => "Mul";

    public override Match? TryMatch(Node root, PassContext context) =>
        ConvFolding.ConvAndChannelConstant(root) is var (conv, factor) ? new Match(conv, root, factor) : null;

    public override void Rewrite(Match match, PassContext context)
    {
        var (conv, mul, factor) = match;
        var weight = conv.Input(1).ConstantData!;
        var affine = new BatchNormMath(factor, new float[factor.Length]);
        var graph = conv.Graph;
        conv.SetInput(1, PassContext.AddConstant(graph, $"{conv.Name}_weight_mul", TensorData.Create<float>([.. weight.Dims], affine.ScaleOutputChannels(weight.AsSpan<float>()))));
        if (Constants.Floats(conv.OptionalInput(2)) is { } bias)
            conv.SetInput(2, PassContext.AddConstant(graph, $"{conv.Name}_bias_mul", TensorData.Create<float>([factor.Length], affine.FoldBias(bias))));
        GraphRewriter.Bypass(mul, conv.Output(0));
    }

    public override IReadOnlyList<Node> MatchedNodes(Match match) => [match.Conv, match.Mul];
}
