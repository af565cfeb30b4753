using OnnxFuse.Ir.Editing;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Passes.Matching;
using OnnxFuse.Passes.Rewriting;

namespace OnnxFuse.Passes.Fusions;

/// <summary>
/// Conv → Add(·, c) (either operand order), c constant per output channel ([M,1,…], [1,M,1,…]) or scalar
/// ⇒  Conv with bias B' = B + c.  A c that would broadcast over the batch or a spatial axis, or grow the output, is refused.
/// </summary>
public sealed class ConvAddFusion : RewriteRule<ConvAddFusion.Match>
{
    public sealed record Match(Node Conv, Node Add, float[] Addend);

    public override string Name => "conv-add";

    public override string Summary => "folds a per-channel constant Add into the Conv's bias";

    public override OptimizationLevel Level => OptimizationLevel.Basic;

    public override string? RootOpType => "Add";

    public override Match? TryMatch(Node root, PassContext context) =>
        ConvFolding.ConvAndChannelConstant(root) is var (conv, addend) ? new Match(conv, root, addend) : null;

    public override void Rewrite(Match match, PassContext context)
    {
        var (conv, add, addend) = match;
        var bias = Constants.Floats(conv.OptionalInput(2)) ?? [];
        var affine = new BatchNormMath([.. Enumerable.Repeat(1f, addend.Length)], addend);
        conv.SetInput(2, PassContext.AddConstant(conv.Graph, $"{conv.Name}_bias_add", TensorData.Create<float>([addend.Length], affine.FoldBias(bias))));
        GraphRewriter.Bypass(add, conv.Output(0));
    }

    public override IReadOnlyList<Node> MatchedNodes(Match match) => [match.Conv, match.Add];
}
