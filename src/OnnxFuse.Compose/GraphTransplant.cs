using OnnxFuse.Ir.Graphs;

namespace OnnxFuse.Compose;

/// <summary>
/// Copies a model's nodes into another graph (the fused main graph or an If branch). Values are looked up in a map
/// from source to target values, which the caller fills with the graph inputs and weights; node outputs are declared
/// in the target under their (already prefixed) names. Subgraphs are deep-copied with the same map, so values they
/// capture from the source graph are read from the target instead.
/// </summary>
static class GraphTransplant
{
    /// <summary>Copies every node of <paramref name="source"/> to the end of <paramref name="target"/>.</summary>
    public static void CopyNodes(Graph source, Graph target, Dictionary<Value, Value> map)
    {
        var copies = new List<(Node Source, Node Copy)>(source.Nodes.Count);
        foreach (var node in source.Nodes)
        {
            var copy = target.AddNode(node.OpType, [], node.Outputs.Select(o => o?.Name), name: node.Name, domain: node.Domain);
            copy.Overload = node.Overload;
            copy.DocString = node.DocString;
            foreach (var (key, value) in node.MetadataProps)
                copy.MetadataProps[key] = value;
            for (var i = 0; i < node.Outputs.Count; i++)
            {
                if (node.Outputs[i] is not { } output)
                    continue;
                CopyValueInfo(output, copy.Output(i));
                map[output] = copy.Output(i);
            }
            copies.Add((node, copy));
        }
        // Inputs after every output exists: node order need not be topological.
        foreach (var (node, copy) in copies)
        {
            foreach (var input in node.Inputs)
                copy.AddInput(input is null ? null : Map(input, map));
            foreach (var attr in node.Attributes)
                copy.SetAttr(CopyAttr(attr, map));
        }
    }

    public static void CopyValueInfo(Value source, Value target)
    {
        target.Type = source.Type;
        target.DocString = source.DocString;
        foreach (var (key, value) in source.MetadataProps)
            target.MetadataProps[key] = value;
    }

    static Value Map(Value value, Dictionary<Value, Value> map) =>
        map.TryGetValue(value, out var mapped)
            ? mapped
            : throw new InvalidOperationException($"value '{value.Name}' is read before the fused graph defines it");

    static Attr CopyAttr(Attr attr, Dictionary<Value, Value> map) => attr.Kind switch
    {
        AttrKind.Graph => attr.WithPayload(CopySubgraph(attr.AsGraph(), map)),
        AttrKind.Graphs => attr.WithPayload(attr.AsGraphs().Select(g => CopySubgraph(g, map)).ToArray()),
        _ => attr,
    };

    static Graph CopySubgraph(Graph source, Dictionary<Value, Value> map)
    {
        var copy = new Graph(source.Name) { DocString = source.DocString };
        foreach (var (key, value) in source.MetadataProps)
            copy.MetadataProps[key] = value;
        foreach (var annotation in source.QuantizationAnnotations)
            copy.QuantizationAnnotations.Add(annotation);
        foreach (var input in source.Inputs)
        {
            map[input] = copy.AddInput(input.Name);
            CopyValueInfo(input, map[input]);
        }
        foreach (var initializer in source.Initializers)
        {
            var value = initializer.Initializer is { } dense
                ? copy.AddInitializer(initializer.Name, dense)
                : copy.AddSparseInitializer(initializer.Name, initializer.SparseInitializer!);
            CopyValueInfo(initializer, value);
            map[initializer] = value;
        }
        CopyNodes(source, copy, map);
        foreach (var output in source.Outputs)
            copy.Outputs.Add(Map(output, map));
        return copy;
    }
}
