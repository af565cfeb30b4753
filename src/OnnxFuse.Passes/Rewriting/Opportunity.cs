namespace OnnxFuse.Passes.Rewriting;

/// <summary>
/// A place where a pass matches, found by matching alone: the pattern, where it is, the nodes it covers and how
/// many nodes the rewrite would save.
/// </summary>
public sealed record Opportunity(string Pattern, string GraphPath, IReadOnlyList<NodeRef> Nodes, int NodesSaved);

/// <summary>A node named in a report: its name and op type (domain-qualified outside ai.onnx).</summary>
public sealed record NodeRef(string Name, string OpType)
{
    public override string ToString() => $"{Name} ({OpType})";
}
