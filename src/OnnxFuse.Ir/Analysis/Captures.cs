using OnnxFuse.Ir.Graphs;

namespace OnnxFuse.Ir.Analysis;

/// <summary>
/// Outer values that subgraphs read by reference (ONNX's implicit inputs): values that a node inside a subgraph
/// (at any depth) reads, or that a subgraph lists as an output, while an enclosing scope declares them.
/// A node that holds subgraphs depends on its captures exactly as on its explicit inputs.
/// </summary>
public static class Captures
{
    /// <summary>Values declared outside <paramref name="subgraph"/> (and its own subgraphs) that it reads, in first-read order.</summary>
    public static IReadOnlyList<Value> Of(Graph subgraph)
    {
        var inside = subgraph.SelfAndDescendants().ToHashSet();
        var captured = new List<Value>();
        var seen = new HashSet<Value>();
        foreach (var graph in inside)
        {
            var reads = graph.Nodes.SelectMany(n => n.Inputs).Concat(graph.Outputs);
            foreach (var value in reads)
                if (value is not null && !inside.Contains(value.Graph) && seen.Add(value))
                    captured.Add(value);
        }
        return captured;
    }

    /// <summary>Values declared outside the subgraphs of <paramref name="node"/> that those subgraphs read.</summary>
    public static IReadOnlyList<Value> Of(Node node)
    {
        var captured = new List<Value>();
        var seen = new HashSet<Value>();
        foreach (var subgraph in node.Subgraphs)
            foreach (var value in Of(subgraph))
                if (seen.Add(value))
                    captured.Add(value);
        return captured;
    }
}
