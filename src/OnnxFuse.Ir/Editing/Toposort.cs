using OnnxFuse.Ir.Analysis;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Graphs;

namespace OnnxFuse.Ir.Editing;

/// <summary>
/// Stable topological sort of a graph's nodes (Kahn's algorithm, always taking the ready node that came first in
/// the current order), so an already sorted graph keeps its order and an unsorted one moves as little as possible.
/// A node depends on the producers of its inputs and of the outer values its subgraphs capture; subgraphs are
/// sorted too. A cycle throws <see cref="GraphValidationException"/> naming the nodes on it.
/// </summary>
public static class Toposort
{
    /// <summary>Reorders <paramref name="graph"/>'s nodes, and its subgraphs' nodes, topologically.</summary>
    public static void Sort(Graph graph)
    {
        foreach (var subgraph in graph.Nodes.SelectMany(n => n.Subgraphs))
            Sort(subgraph);
        if (TryOrder(graph) is { } order)
        {
            graph.ReorderNodes(order);
            return;
        }
        var cycle = FindCycle(graph)!;
        Throw.InvalidGraph($"graph '{graph.Name}' has a cycle: {DescribeCycle(cycle)}");
    }

    /// <summary>True when every node of <paramref name="graph"/> (not its subgraphs) comes after the producers it depends on.</summary>
    public static bool IsSorted(Graph graph)
    {
        var position = Positions(graph);
        return graph.Nodes.All(node => Predecessors(node, position).All(p => position[p] < position[node]));
    }

    /// <summary>The stable topological order of <paramref name="graph"/>'s nodes, or null when they form a cycle.</summary>
    public static IReadOnlyList<Node>? TryOrder(Graph graph)
    {
        var position = Positions(graph);
        var pending = new int[graph.Nodes.Count];
        var successors = graph.Nodes.Select(_ => new List<Node>()).ToArray();
        foreach (var node in graph.Nodes)
            foreach (var predecessor in Predecessors(node, position))
            {
                successors[position[predecessor]].Add(node);
                pending[position[node]]++;
            }

        var ready = new PriorityQueue<Node, int>();
        foreach (var node in graph.Nodes)
            if (pending[position[node]] == 0)
                ready.Enqueue(node, position[node]);
        var order = new List<Node>(graph.Nodes.Count);
        while (ready.TryDequeue(out var node, out _))
        {
            order.Add(node);
            foreach (var successor in successors[position[node]])
                if (--pending[position[successor]] == 0)
                    ready.Enqueue(successor, position[successor]);
        }
        return order.Count == graph.Nodes.Count ? order : null;
    }

    /// <summary>One cycle among <paramref name="graph"/>'s nodes, in dependency order, or null when there is none.</summary>
    public static IReadOnlyList<Node>? FindCycle(Graph graph)
    {
        var position = Positions(graph);
        // Iterative DFS colouring: 1 = on the current path, 2 = finished.
        var state = new Dictionary<Node, int>();
        foreach (var start in graph.Nodes)
        {
            if (state.ContainsKey(start))
                continue;
            var path = new List<Node>();
            var stack = new Stack<IEnumerator<Node>>();
            state[start] = 1;
            path.Add(start);
            stack.Push(Predecessors(start, position).GetEnumerator());
            while (stack.Count > 0)
            {
                var next = stack.Peek();
                if (!next.MoveNext())
                {
                    stack.Pop();
                    state[path[^1]] = 2;
                    path.RemoveAt(path.Count - 1);
                    continue;
                }
                var predecessor = next.Current;
                if (!state.TryGetValue(predecessor, out var colour))
                {
                    state[predecessor] = 1;
                    path.Add(predecessor);
                    stack.Push(Predecessors(predecessor, position).GetEnumerator());
                }
                else if (colour == 1)
                {
                    // The path runs consumer → producer; reverse it so the cycle reads in execution order.
                    var cycle = path[path.IndexOf(predecessor)..];
                    cycle.Reverse();
                    return cycle;
                }
            }
        }
        return null;
    }

    /// <summary>"'a' (Relu) → 'b' (Add) → 'a' (Relu)".</summary>
    public static string DescribeCycle(IReadOnlyList<Node> cycle) =>
        string.Join(" → ", cycle.Append(cycle[0]).Select(n => n.Describe()));

    /// <summary>Nodes of the same graph that <paramref name="node"/> must run after: producers of its inputs and captures.</summary>
    public static IEnumerable<Node> Predecessors(Node node) => Predecessors(node, Positions(node.Graph));

    // Producers that are no longer in the graph (stale references) are the verifier's business, not an edge.
    static IEnumerable<Node> Predecessors(Node node, Dictionary<Node, int> position) =>
        node.Inputs.Concat(Captures.Of(node))
            .Select(v => v?.Producer)
            .OfType<Node>()
            .Where(position.ContainsKey)
            .Distinct();

    static Dictionary<Node, int> Positions(Graph graph)
    {
        var position = new Dictionary<Node, int>(graph.Nodes.Count);
        for (var i = 0; i < graph.Nodes.Count; i++)
            position[graph.Nodes[i]] = i;
        return position;
    }
}
