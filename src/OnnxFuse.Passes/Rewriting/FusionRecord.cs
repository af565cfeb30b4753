namespace OnnxFuse.Passes.Rewriting;

/// <summary>One rewrite that was made: the pattern, the graph, the nodes it removed and the nodes it added.</summary>
public sealed record FusionRecord(string Pattern, string GraphPath, IReadOnlyList<NodeRef> Replaced, IReadOnlyList<NodeRef> Created);
