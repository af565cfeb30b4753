using OnnxFuse.Ir.Editing;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Passes.Matching;
using OnnxFuse.Passes.Rewriting;

namespace OnnxFuse.Passes.Fusions;

/// <summary>
/// MatMul (A [M, K], constant B [K, N]) → BatchNormalization over its [M, N] output  ⇒  Gemm(A, B · s, t).
/// s = scale / √(var + ε), t = bias − mean · s; B's column n is scaled by s[n] and t becomes Gemm's C.
/// Only 2-D products: for a batched MatMul the channel axis of BatchNormalization (1) is not N.
/// </summary>
public sealed class MatMulBatchNormFusion : RewriteRule<MatMulBatchNormFusion.Match>
{
    public sealed record Match(Node MatMul, Node BatchNorm, BatchNormMath Affine);

    public override string Name => "matmul-batchnorm";

    public override string Summary => "folds MatMul and the BatchNormalization after it into one Gemm";

    public override OptimizationLevel Level => OptimizationLevel.Basic;

    public override string? RootOpType => "BatchNormalization";

    public override Match? TryMatch(Node root, PassContext context)
    {
        // Gemm broadcasts C from opset 7 on.
        if (context.Opset < 7 || root.Input(0).ProducedBy("MatMul") is not { } matMul || !matMul.Output(0).IsOnlyReadBy(root))
            return null;
        if (matMul.Input(0).Shape?.Rank != 2 || Constants.Floats(matMul.Input(1)) is null || matMul.Input(1).ConstantData!.Rank != 2)
            return null;
        if (BatchNormMath.TryRead(root) is not { } affine || affine.ChannelCount != matMul.Input(1).ConstantData!.Dims[1])
            return null;
        return new Match(matMul, root, affine);
    }

    public override void Rewrite(Match match, PassContext context)
    {
        var (matMul, batchNorm, affine) = match;
        var weight = matMul.Input(1).ConstantData!;
        var graph = matMul.Graph;
        var foldedWeight = PassContext.AddConstant(graph, $"{matMul.Name}_weight_bn",
            TensorData.Create<float>([.. weight.Dims], affine.ScaleColumns(weight.AsSpan<float>())));
        var bias = PassContext.AddConstant(graph, $"{matMul.Name}_bias_bn", TensorData.Create<float>([affine.ChannelCount], affine.Shift));
        var gemm = graph.AddNode("Gemm", [matMul.Input(0), foldedWeight, bias], [graph.UniqueValueName($"{matMul.Output(0).Name}_bn")],
            name: graph.UniqueNodeName($"{matMul.Name}_bn"));
        GraphRewriter.Bypass(batchNorm, [gemm.Output(0), .. Enumerable.Repeat<Value?>(null, batchNorm.Outputs.Count - 1)]);
    }

    public override IReadOnlyList<Node> MatchedNodes(Match match) => [match.MatMul, match.BatchNorm];
}
