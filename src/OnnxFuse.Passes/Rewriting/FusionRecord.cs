namespace OnnxFuse.Passes.Rewriting;

/// <summary>
/// One rewrite that was made: the pattern, the graph, the nodes the match covered (as they were) and the nodes that
/// now stand in their place (new nodes, and matched nodes the rewrite kept and changed, such as a Conv with folded weights).
/// </summary>
public sealed record FusionRecord(string Pattern, string GraphPath, IReadOnlyList<NodeRef> Replaced, IReadOnlyList<NodeRef> Created);
