using OnnxFuse.Ir.Graphs;

namespace OnnxFuse.Passes.Rewriting;

/// <summary>Names a graph in reports: <c>main</c>, or <c>main/If_3.then_branch</c> for a subgraph.</summary>
static class GraphPath
{
    public static string Of(Graph graph)
    {
        if (graph.Owner is not { } owner)
            return graph.Name.Length > 0 ? graph.Name : "main";
        var attribute = owner.Attributes.FirstOrDefault(a => a.Subgraphs.Contains(graph))?.Name ?? graph.Name;
        return $"{Of(owner.Graph)}/{owner.Name}.{attribute}";
    }

    /// <summary>Whether <paramref name="graph"/> is still part of <paramref name="root"/> (its owner was not removed).</summary>
    public static bool IsAttached(Graph graph, Graph root)
    {
        for (var current = graph; current.Owner is { } owner; current = owner.Graph)
            if (!owner.Graph.Nodes.Contains(owner))
                return false;
        return ReferenceEquals(TopOf(graph), root);
    }

    static Graph TopOf(Graph graph) => graph.Parent is { } parent ? TopOf(parent) : graph;

    public static NodeRef Describe(Node node) =>
        new(node.Name, node.IsDefaultDomain ? node.OpType : $"{node.Domain}.{node.OpType}");
}
