namespace OnnxFuse.Engine.Profiling;

/// <summary>
/// Wall-clock time spent in each node of a session's plan, collected when <see cref="EngineOptions.ProfileNodes"/>
/// is set: one entry per node (subgraph nodes included), in planning order. Runs add to the totals from any thread;
/// <see cref="Reset"/> clears them (after a warm-up, say).
/// </summary>
public sealed class NodeProfile
{
    readonly List<NodeCounter> _nodes = [];

    /// <summary>The totals so far, one per node, in planning order.</summary>
    public IReadOnlyList<NodeTiming> Snapshot()
    {
        lock (_nodes)
            return [.. _nodes.Select(n => n.ToTiming())];
    }

    /// <summary>Sets every node's calls and times back to zero.</summary>
    public void Reset()
    {
        lock (_nodes)
            _nodes.ForEach(n => n.Reset());
    }

    internal NodeCounter Add(string node, string opType, bool containsSubgraphs)
    {
        var counter = new NodeCounter(node, opType, containsSubgraphs);
        lock (_nodes)
            _nodes.Add(counter);
        return counter;
    }
}
