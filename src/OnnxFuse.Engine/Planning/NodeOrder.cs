using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Graphs;

namespace OnnxFuse.Engine.Planning;

/// <summary>
/// Topological order of one graph's nodes (Kahn's algorithm), keeping file order among ready nodes.
/// A node that owns subgraphs depends on the producers of every outer value those subgraphs read.
/// </summary>
static class NodeOrder
{
    public static List<Node> Sort(Graph graph)
    {
        var nodes = graph.Nodes;
        var index = new Dictionary<Node, int>(nodes.Count);
        for (var i = 0; i < nodes.Count; i++)
            index[nodes[i]] = i;
        var pending = new int[nodes.Count];
        var dependents = new List<int>[nodes.Count];
        for (var i = 0; i < nodes.Count; i++)
        {
            foreach (var value in ReadValues(nodes[i]))
            {
                if (value.Producer is { } producer && index.TryGetValue(producer, out var p) && p != i)
                {
                    (dependents[p] ??= []).Add(i);
                    pending[i]++;
                }
            }
        }
        var ready = new PriorityQueue<int, int>();
        for (var i = 0; i < nodes.Count; i++)
            if (pending[i] == 0)
                ready.Enqueue(i, i);
        var order = new List<Node>(nodes.Count);
        while (ready.TryDequeue(out var next, out _))
        {
            order.Add(nodes[next]);
            foreach (var dependent in dependents[next] ?? [])
                if (--pending[dependent] == 0)
                    ready.Enqueue(dependent, dependent);
        }
        if (order.Count != nodes.Count)
        {
            var stuck = nodes.Where((_, i) => pending[i] > 0).Select(n => n.Describe()).Take(5);
            Throw.InvalidGraph($"graph '{graph.Name}' has a cycle or reads values no node produces; stuck at {string.Join(", ", stuck)}");
        }
        return order;
    }

    /// <summary>The node's inputs plus every value its subgraphs (at any depth) read from outside themselves.</summary>
    public static IEnumerable<Value> ReadValues(Node node)
    {
        foreach (var input in node.Inputs)
            if (input is not null)
                yield return input;
        foreach (var subgraph in node.Subgraphs)
            foreach (var captured in CapturedValues(subgraph))
                yield return captured;
    }

    /// <summary>Values that <paramref name="subgraph"/> or its nested subgraphs read but that are declared outside it.</summary>
    public static IEnumerable<Value> CapturedValues(Graph subgraph)
    {
        var inside = subgraph.SelfAndDescendants().ToHashSet();
        foreach (var graph in inside)
        {
            foreach (var node in graph.Nodes)
                foreach (var input in node.Inputs)
                    if (input is not null && !inside.Contains(input.Graph))
                        yield return input;
            foreach (var output in graph.Outputs)
                if (!inside.Contains(output.Graph))
                    yield return output;
        }
    }
}
