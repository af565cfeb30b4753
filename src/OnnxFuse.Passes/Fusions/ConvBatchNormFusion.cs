using OnnxFuse.Ir.Editing;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Passes.Matching;
using OnnxFuse.Passes.Rewriting;

namespace OnnxFuse.Passes.Fusions;

/// <summary>
/// Conv → BatchNormalization  ⇒  Conv with folded weights.
/// s = scale / √(var + ε);  W'[o] = W[o] · s[o];  B' = (B − mean) · s + bias.
/// New initializers hold the folded weights (the originals may be shared with other nodes).
/// </summary>
public sealed class ConvBatchNormFusion : RewriteRule<ConvBatchNormFusion.Match>
{
    public sealed record Match(Node Conv, Node BatchNorm, BatchNormMath Affine);

    public override string Name => "conv-batchnorm";

    public override string Summary => "folds BatchNormalization into the Conv before it";

    public override OptimizationLevel Level => OptimizationLevel.Basic;

    public override string? RootOpType => "BatchNormalization";

    public override Match? TryMatch(Node root, PassContext context)
    {
        if (root.Input(0).ProducedBy("Conv") is not { } conv || !conv.Output(0).IsOnlyReadBy(root))
            return null;
        if (Constants.Floats(conv.Input(1)) is null || conv.OptionalInput(2) is { } bias && Constants.Floats(bias) is null)
            return null;
        if (BatchNormMath.TryRead(root) is not { } affine || conv.Input(1).ConstantData!.Dims[0] != affine.ChannelCount)
            return null;
        return new Match(conv, root, affine);
    }

    public override void Rewrite(Match match, PassContext context)
    {
        var (conv, batchNorm, affine) = match;
        var weight = conv.Input(1).ConstantData!;
        var bias = Constants.Floats(conv.OptionalInput(2)) ?? [];
        var graph = conv.Graph;
        conv.SetInput(1, PassContext.AddConstant(graph, $"{conv.Name}_weight_bn", TensorData.Create<float>([.. weight.Dims], affine.ScaleOutputChannels(weight.AsSpan<float>()))));
        conv.SetInput(2, PassContext.AddConstant(graph, $"{conv.Name}_bias_bn", TensorData.Create<float>([affine.ChannelCount], affine.FoldBias(bias))));
        GraphRewriter.Bypass(batchNorm, [conv.Output(0), .. Enumerable.Repeat<Value?>(null, batchNorm.Outputs.Count - 1)]);
    }

    public override IReadOnlyList<Node> MatchedNodes(Match match) => [match.Conv, match.BatchNorm];
}
