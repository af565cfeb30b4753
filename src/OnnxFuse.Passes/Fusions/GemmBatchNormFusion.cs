using OnnxFuse.Ir.Editing;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Passes.Matching;
using OnnxFuse.Passes.Rewriting;

namespace OnnxFuse.Passes.Fusions;

/// <summary>
/// Gemm (constant B, constant or no C) → BatchNormalization over its [M, N] output  ⇒  Gemm with folded B and C.
/// Y = α · A' · B' + β · C;  BN(Y) = Y · s + t  ⇒  B'[·, n] · s[n] (rows of B when transB = 1, columns otherwise),
/// C' = β · C · s + t with β' = 1. C of shape [], [1], [N], [1, N] becomes [N]; [M, N] or [M, 1] becomes [M, N].
/// </summary>
public sealed class GemmBatchNormFusion : RewriteRule<GemmBatchNormFusion.Match>
{
    public sealed record Match(Node Gemm, Node BatchNorm, BatchNormMath Affine);

    public override string Name => "gemm-batchnorm";

    public override string Summary => "folds BatchNormalization into the Gemm before it";

    public override OptimizationLevel Level => OptimizationLevel.Basic;

    public override string? RootOpType => "BatchNormalization";

    public override Match? TryMatch(Node root, PassContext context)
    {
        // Gemm broadcasts C from opset 7 on; the folded C may be a row where the original had none.
        if (context.Opset < 7 || root.Input(0).ProducedBy("Gemm") is not { } gemm || !gemm.Output(0).IsOnlyReadBy(root))
            return null;
        if (Constants.Floats(gemm.Input(1)) is null || gemm.Input(1).ConstantData!.Rank != 2)
            return null;
        var weightDims = gemm.Input(1).ConstantData!.Dims;
        var columns = gemm.GetInt("transB", 0) != 0 ? weightDims[0] : weightDims[1];
        if (gemm.OptionalInput(2) is { } c && (Constants.Floats(c) is null || !FitsColumns(c.ConstantData!, columns)))
            return null;
        if (BatchNormMath.TryRead(root) is not { } affine || affine.ChannelCount != columns)
            return null;
        return new Match(gemm, root, affine);
    }

    public override void Rewrite(Match match, PassContext context)
    {
        var (gemm, batchNorm, affine) = match;
        var weight = gemm.Input(1).ConstantData!;
        var folded = gemm.GetInt("transB", 0) != 0
            ? affine.ScaleOutputChannels(weight.AsSpan<float>())
            : affine.ScaleColumns(weight.AsSpan<float>());
        var graph = gemm.Graph;
        gemm.SetInput(1, PassContext.AddConstant(graph, $"{gemm.Name}_weight_bn", TensorData.Create<float>([.. weight.Dims], folded)));
        var bias = FoldBias(gemm.OptionalInput(2)?.ConstantData, gemm.GetFloat("beta", 1f), affine);
        gemm.SetInput(2, PassContext.AddConstant(graph, $"{gemm.Name}_bias_bn", bias));
        gemm.SetAttr(Attr.Float("beta", 1f));
        GraphRewriter.Bypass(batchNorm, [gemm.Output(0), .. Enumerable.Repeat<Value?>(null, batchNorm.Outputs.Count - 1)]);
    }

    public override IReadOnlyList<Node> MatchedNodes(Match match) => [match.Gemm, match.BatchNorm];

    /// <summary>Whether C broadcasts to [M, N] one column per output channel (or one value for all).</summary>
    static bool FitsColumns(TensorData c, long columns) =>
        c.Rank <= 2 && (c.Rank == 0 || c.Dims[^1] == 1 || c.Dims[^1] == columns);

    /// <summary>C' = β · C · s + t, with C's rows kept and its columns spread over the N output channels.</summary>
    static TensorData FoldBias(TensorData? c, float beta, BatchNormMath affine)
    {
        var channels = affine.ChannelCount;
        if (c is null)
            return TensorData.Create<float>([channels], affine.Shift);
        var values = c.AsSpan<float>();
        var rows = c.Rank == 2 ? (int)c.Dims[0] : 1;
        var columns = c.Rank == 0 ? 1 : (int)c.Dims[^1];
        var result = new float[rows * channels];
        for (var r = 0; r < rows; r++)
            for (var n = 0; n < channels; n++)
                result[(r * channels) + n] = (beta * values[(r * columns) + (columns == 1 ? 0 : n)] * affine.Scale[n]) + affine.Shift[n];
        return TensorData.Create<float>(c.Rank == 2 ? [rows, channels] : [channels], result);
    }
}
