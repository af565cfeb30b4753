using OnnxFuse.Ir.Graphs;

namespace OnnxFuse.Ir.Inference;

/// <summary>
/// The order in which inference visits a graph's nodes: producers before readers, counting the outer values a
/// node's subgraphs capture as its inputs. File order is kept wherever it already respects that.
/// </summary>
static class NodeOrder
{
    public static IReadOnlyList<Node> Topological(Graph graph)
    {
        var order = new List<Node>(graph.Nodes.Count);
        var state = new Dictionary<Node, bool>();
        foreach (var node in graph.Nodes)
            Visit(graph, node, state, order);
        return order;
    }

    static void Visit(Graph graph, Node node, Dictionary<Node, bool> state, List<Node> order)
    {
        // A node being visited again while open means a cycle; leaving it where it is keeps the visit finite.
        if (state.ContainsKey(node))
            return;
        state[node] = false;
        foreach (var producer in Dependencies(graph, node))
            Visit(graph, producer, state, order);
        state[node] = true;
        order.Add(node);
    }

    static IEnumerable<Node> Dependencies(Graph graph, Node node)
    {
        foreach (var input in node.Inputs)
            if (input?.Producer is { } producer && ReferenceEquals(producer.Graph, graph))
                yield return producer;
        foreach (var subgraph in node.Subgraphs)
        {
            foreach (var inner in subgraph.AllNodes())
                foreach (var input in inner.Inputs)
                    if (input?.Producer is { } producer && ReferenceEquals(producer.Graph, graph))
                        yield return producer;
            foreach (var output in subgraph.SelfAndDescendants().SelectMany(g => g.Outputs))
                if (output.Producer is { } producer && ReferenceEquals(producer.Graph, graph))
                    yield return producer;
        }
    }
}
