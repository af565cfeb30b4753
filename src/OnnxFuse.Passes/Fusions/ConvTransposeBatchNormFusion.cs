using OnnxFuse.Ir.Editing;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Passes.Matching;
using OnnxFuse.Passes.Rewriting;

namespace OnnxFuse.Passes.Fusions;

/// <summary>
/// ConvTranspose → BatchNormalization  ⇒  ConvTranspose with folded weights.
/// s = scale / √(var + ε);  W [C_in, C_out/group, k…]:  W'[i, j] = W[i, j] · s[g · C_out/group + j] (g = i's group);
/// B' = (B − mean) · s + bias. Output channels lie on the weight's axis 1, per group, unlike Conv's axis 0.
/// </summary>
public sealed class ConvTransposeBatchNormFusion : RewriteRule<ConvTransposeBatchNormFusion.Match>
{
    public sealed record Match(Node ConvTranspose, Node BatchNorm, BatchNormMath Affine);

    public override string Name => "convtranspose-batchnorm";

    public override string Summary => "folds BatchNormalization into the ConvTranspose before it";

    public override OptimizationLevel Level => OptimizationLevel.Basic;

    public override string? RootOpType => "BatchNormalization";

    public override Match? TryMatch(Node root, PassContext context)
    {
        if (root.Input(0).ProducedBy("ConvTranspose") is not { } convTranspose || !convTranspose.Output(0).IsOnlyReadBy(root))
            return null;
        if (Constants.Floats(convTranspose.Input(1)) is null
            || convTranspose.OptionalInput(2) is { } bias && Constants.Floats(bias) is null)
            return null;
        var weightDims = convTranspose.Input(1).ConstantData!.Dims;
        var groupCount = convTranspose.GetInt("group", 1);
        if (weightDims.Count < 3 || groupCount < 1 || weightDims[0] % groupCount != 0)
            return null;
        if (BatchNormMath.TryRead(root) is not { } affine || weightDims[1] * groupCount != affine.ChannelCount)
            return null;
        return new Match(convTranspose, root, affine);
    }

    public override void Rewrite(Match match, PassContext context)
    {
        var (convTranspose, batchNorm, affine) = match;
        var weight = convTranspose.Input(1).ConstantData!;
        var bias = Constants.Floats(convTranspose.OptionalInput(2)) ?? [];
        var folded = affine.ScaleTransposedOutputChannels(weight.AsSpan<float>(), (int)weight.Dims[0], (int)convTranspose.GetInt("group", 1));
        var graph = convTranspose.Graph;
        convTranspose.SetInput(1, PassContext.AddConstant(graph, $"{convTranspose.Name}_weight_bn", TensorData.Create<float>([.. weight.Dims], folded)));
        convTranspose.SetInput(2, PassContext.AddConstant(graph, $"{convTranspose.Name}_bias_bn", TensorData.Create<float>([affine.ChannelCount], affine.FoldBias(bias))));
        GraphRewriter.Bypass(batchNorm, [convTranspose.Output(0), .. Enumerable.Repeat<Value?>(null, batchNorm.Outputs.Count - 1)]);
    }

    public override IReadOnlyList<Node> MatchedNodes(Match match) => [match.ConvTranspose, match.BatchNorm];
}
