using OnnxFuse.Ir.Graphs;

namespace OnnxFuse.Engine.Planning;

/// <summary>
/// Splits a graph's scheduled nodes into weakly connected components: two nodes are connected when one reads
/// (directly or from inside a subgraph) a value the other computes. Graph inputs and constants connect nothing,
/// so models fused side by side, even over one shared input and shared weights, fall into separate components.
/// </summary>
static class GraphComponents
{
    /// <summary>Each component as indices into <paramref name="nodes"/>, ascending; components ordered by their first node.</summary>
    public static List<int[]> Find(IReadOnlyList<Node> nodes)
    {
        var position = new Dictionary<Node, int>(nodes.Count);
        for (var i = 0; i < nodes.Count; i++)
            position[nodes[i]] = i;
        var parent = new int[nodes.Count];
        for (var i = 0; i < parent.Length; i++)
            parent[i] = i;
        for (var i = 0; i < nodes.Count; i++)
            foreach (var value in NodeOrder.ReadValues(nodes[i]))
                if (value.Producer is { } producer && position.TryGetValue(producer, out var p))
                    parent[Root(parent, i)] = Root(parent, p);

        var byRoot = new Dictionary<int, List<int>>();
        var components = new List<List<int>>();
        for (var i = 0; i < nodes.Count; i++)
        {
            var root = Root(parent, i);
            if (!byRoot.TryGetValue(root, out var members))
            {
                byRoot[root] = members = [];
                components.Add(members);
            }
            members.Add(i);
        }
        return [.. components.Select(c => c.ToArray())];
    }

    static int Root(int[] parent, int node)
    {
        while (parent[node] != node)
        {
            parent[node] = parent[parent[node]];
            node = parent[node];
        }
        return node;
    }
}
