using OnnxFuse.Ir.Editing;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;

namespace OnnxFuse.Compose;

/// <summary>
/// Simple memory figures for one model. Weights: bytes of every initializer (input defaults excluded) and <c>Constant</c> tensor, subgraphs
/// included. Peak activations: main-graph node outputs are walked in topological order; an output is live from its
/// producer to its last reader (a node whose subgraph captures it counts as a reader; graph outputs live to the end),
/// and the peak is the largest sum of live sizes. Symbolic dims count as 1 and unknown shapes as 0, and memory used
/// inside subgraphs is not counted, so this is an estimate, not a bound.
/// </summary>
static class MemoryEstimate
{
    public static long WeightBytes(Graph graph) =>
        graph.SelfAndDescendants().Sum(g => g.Initializers.Where(v => !v.IsGraphInput).Sum(v => v.Initializer?.ByteLength ?? 0)
            + g.Nodes.Where(n => n.OpType == "Constant" && n.IsDefaultDomain)
                .Sum(n => n.FindAttr("value") is { Kind: AttrKind.Tensor } a ? a.AsTensor().ByteLength : 0));

    public static long PeakActivationBytes(Graph graph)
    {
        var order = Toposort.TryOrder(graph) ?? graph.Nodes;
        var position = new Dictionary<Node, int>();
        for (var i = 0; i < order.Count; i++)
            position[order[i]] = i;

        long live = 0, peak = 0;
        var releases = new Dictionary<int, long>();
        for (var step = 0; step < order.Count; step++)
        {
            foreach (var output in order[step].Outputs)
            {
                if (output is null)
                    continue;
                var bytes = SizeOf(output);
                live += bytes;
                var lastUse = output.IsGraphOutput ? order.Count : LastUse(output, graph, position, step);
                releases[lastUse] = releases.GetValueOrDefault(lastUse) + bytes;
            }
            peak = Math.Max(peak, live);
            live -= releases.GetValueOrDefault(step);
        }
        return peak;
    }

    static int LastUse(Value value, Graph graph, Dictionary<Node, int> position, int producedAt)
    {
        var last = producedAt;
        foreach (var use in value.Uses)
        {
            var node = use.Node;
            while (!ReferenceEquals(node.Graph, graph) && node.Graph.Owner is { } owner)
                node = owner;
            if (position.TryGetValue(node, out var at))
                last = Math.Max(last, at);
        }
        return last;
    }

    static long SizeOf(Value value)
    {
        if (value.Type is not TensorType { Shape: { } shape } tensor || tensor.ElementType == ElementType.String)
            return 0;
        long count = 1;
        foreach (var dim in shape)
            count *= dim.Value ?? 1;
        return tensor.ElementType.ByteCount(count);
    }
}
