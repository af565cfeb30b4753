using OnnxFuse.Ir.Graphs;

namespace OnnxFuse.Passes.Rewriting;

/// <summary>
/// A pass written as matching and rewriting, kept apart (ONNX Runtime's condition/apply split):
/// <see cref="TryMatch"/> only looks and returns a small record or null, so an opportunity report is matching
/// alone; <see cref="Rewrite"/> edits the graph for one match. <see cref="PassManager"/> finds roots, visits
/// subgraphs, records what changed, removes what the rewrite left unused and verifies the graph; rules never
/// recurse by hand.
/// </summary>
public abstract class RewriteRule<TMatch> : Pass where TMatch : class
{
    /// <summary>The pattern rooted at <paramref name="root"/> (whose op type is <see cref="Pass.RootOpType"/>), or null.</summary>
    public abstract TMatch? TryMatch(Node root, PassContext context);

    /// <summary>Rewrites one match. Nodes the rewrite stops using are removed afterwards by the pass manager.</summary>
    public abstract void Rewrite(TMatch match, PassContext context);

    /// <summary>The nodes the match covers, root included: what the rewrite replaces.</summary>
    public abstract IReadOnlyList<Node> MatchedNodes(TMatch match);

    /// <summary>How many nodes the rewrite puts in their place (for the estimated saving).</summary>
    public virtual int NodesCreated(TMatch match) => 1;

    internal sealed override PassMatch? FindMatch(Node root, PassContext context) =>
        TryMatch(root, context) is { } match ? new PassMatch(this, match, MatchedNodes(match), NodesCreated(match)) : null;

    internal sealed override void Apply(PassMatch match, PassContext context) => Rewrite((TMatch)match.Payload, context);
}
