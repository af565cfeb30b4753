using OnnxFuse.Ir.Graphs;

namespace OnnxFuse.Ir.Editing;

/// <summary>
/// Removes nodes that nothing needs and initializers that nothing reads. A node is live when one of its outputs
/// is a graph output, an input of a live node, or a value that a live node's subgraph captures or outputs; the
/// main graph's outputs are the roots. Subgraphs of live nodes are cleaned the same way, with their outputs as
/// roots. Graph inputs are never removed: they are the model's interface.
/// </summary>
public static class DeadCodeElimination
{
    /// <summary>What a run removed. Nodes inside a removed node's subgraphs are not counted separately.</summary>
    public sealed record Result(int RemovedNodes, int RemovedInitializers);

    public static Result Run(Graph graph)
    {
        var live = new HashSet<Node>();
        foreach (var output in graph.Outputs)
            MarkLive(output, live);

        // Innermost scopes first and each scope back to front, so that no dead node is removed while a dead
        // subgraph still lists its output; every dead node is disconnected before any is removed, so a removal
        // never sees a reader that is itself dead (possibly in another scope).
        var scopes = LiveScopes(graph, live).Reverse().ToList();
        var dead = scopes.SelectMany(s => s.Nodes.Where(n => !live.Contains(n)).Reverse()).ToList();
        foreach (var node in dead)
            Disconnect(node);
        foreach (var node in dead)
            node.Graph.RemoveNode(node);

        var removedInitializers = 0;
        foreach (var scope in LiveScopes(graph, live).ToList())
        {
            var unread = scope.Initializers.Where(v => v.Uses.Count == 0 && !v.IsGraphInput && !IsAnyOutput(v)).ToList();
            foreach (var initializer in unread)
                scope.RemoveInitializer(initializer);
            removedInitializers += unread.Count;
        }
        return new Result(dead.Count, removedInitializers);
    }

    static void Disconnect(Node node)
    {
        node.DetachInputs();
        foreach (var subgraph in node.Subgraphs)
            if (ReferenceEquals(subgraph.Owner, node))
                subgraph.DetachCaptures();
    }

    static void MarkLive(Value root, HashSet<Node> live)
    {
        var pending = new Stack<Value>([root]);
        while (pending.TryPop(out var value))
        {
            if (value.Producer is not { } producer || !live.Add(producer))
                continue;
            foreach (var input in producer.Inputs)
                if (input is not null)
                    pending.Push(input);
            foreach (var output in producer.Subgraphs.SelectMany(s => s.Outputs))
                pending.Push(output);
        }
    }

    /// <summary>The graph and the subgraphs of its live nodes, recursively.</summary>
    static IEnumerable<Graph> LiveScopes(Graph graph, HashSet<Node> live)
    {
        yield return graph;
        foreach (var node in graph.Nodes.Where(live.Contains))
            foreach (var subgraph in node.Subgraphs)
                foreach (var scope in LiveScopes(subgraph, live))
                    yield return scope;
    }

    static bool IsAnyOutput(Value value) => value.Graph.SelfAndDescendants().Any(g => g.Outputs.Contains(value));
}
