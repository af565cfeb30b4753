using OnnxFuse.Ir.Editing;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Passes.Matching;
using OnnxFuse.Passes.Rewriting;

namespace OnnxFuse.Passes.Cleanup;

/// <summary>
/// y = Identity(x)  ⇒  readers of y read x.  Also inference-mode Dropout (no training_mode, or a constant false
/// one, and its mask unread), which is the identity at inference. When y is a graph output the node stays unless
/// x can take over y's name (x made by a node of the same graph and not itself an interface value).
/// </summary>
public sealed class IdentityElimination : RewriteRule<IdentityElimination.Match>
{
    public sealed record Match(Node Node);

    public override string Name => "identity-elimination";

    public override string Summary => "removes Identity and inference-mode Dropout";

    public override OptimizationLevel Level => OptimizationLevel.Basic;

    public override string? RootOpType => null;

    public override Match? TryMatch(Node root, PassContext context)
    {
        if (!root.IsDefaultDomain || root.OptionalInput(0) is not { } input || root.OptionalOutput(0) is not { } output)
            return null;
        var removable = root.OpType switch
        {
            "Identity" => true,
            "Dropout" => root.OnlyFirstOutputUsed() && IsInference(root),
            _ => false,
        };
        if (!removable)
            return null;
        if (output.IsAnyGraphOutput() && !CanTakeOverName(input, root.Graph))
            return null;
        return new Match(root);
    }

    public override void Rewrite(Match match, PassContext context)
    {
        var node = match.Node;
        GraphRewriter.Bypass(node, [node.Input(0), .. Enumerable.Repeat<Value?>(null, node.Outputs.Count - 1)]);
    }

    public override IReadOnlyList<Node> MatchedNodes(Match match) => [match.Node];

    public override int NodesCreated(Match match) => 0;

    /// <summary>Dropout is the identity unless training_mode (opset 12+: input 2) is true; before 12, is_test decided.</summary>
    static bool IsInference(Node dropout) =>
        dropout.OptionalInput(2) is not { } training || Constants.Scalar(training) == 0f;

    static bool CanTakeOverName(Value input, Graph graph) =>
        ReferenceEquals(input.Graph, graph) && input.Producer is not null && !input.IsAnyGraphOutput() && !input.IsGraphInput;
}
