using OnnxFuse.Ir.Graphs;

namespace OnnxFuse.Ir.Editing;

/// <summary>
/// Deep copies of models and graphs: new graphs, nodes, values and attributes, with subgraphs' captured outer
/// values mapped to the copies of those values. <see cref="Tensors.TensorData"/>, types and other immutable
/// payloads are shared, so weights are never copied.
/// </summary>
public static class ModelCloner
{
    /// <summary>A deep copy of <paramref name="model"/>: main graph, functions, opset imports and metadata.</summary>
    public static Model Clone(this Model model)
    {
        var copy = new Model(CloneGraph(model.Graph))
        {
            IrVersion = model.IrVersion,
            ProducerName = model.ProducerName,
            ProducerVersion = model.ProducerVersion,
            Domain = model.Domain,
            ModelVersion = model.ModelVersion,
            DocString = model.DocString,
        };
        CopyOpsets(model.OpsetImports, copy.OpsetImports);
        CopyMetadata(model.MetadataProps, copy.MetadataProps);
        foreach (var function in model.Functions)
            copy.Functions.Add(Clone(function));
        foreach (var record in model.OpaqueTrainingInfo)
            copy.OpaqueTrainingInfo.Add(record);
        return copy;
    }

    /// <summary>
    /// A deep copy of <paramref name="graph"/> and its subgraphs. The copy has no owner; values that
    /// <paramref name="graph"/> reads from enclosing scopes stay shared (the copy reads the same outer values),
    /// so the copy can become another subgraph of the same parent.
    /// </summary>
    public static Graph CloneGraph(Graph graph)
    {
        var copy = new Graph(graph.Name);
        CloneInto(graph, copy, new Dictionary<Value, Value>());
        return copy;
    }

    public static FunctionDef Clone(FunctionDef function)
    {
        var copy = new FunctionDef(function.Domain, function.Name, CloneGraph(function.Body))
        {
            Overload = function.Overload,
            DocString = function.DocString,
        };
        foreach (var name in function.AttributeNames)
            copy.AttributeNames.Add(name);
        foreach (var attr in function.AttributeDefaults)
            copy.AttributeDefaults.Add(CloneAttr(attr, new Dictionary<Value, Value>()));
        CopyOpsets(function.OpsetImports, copy.OpsetImports);
        CopyMetadata(function.MetadataProps, copy.MetadataProps);
        return copy;
    }

    static void CloneInto(Graph source, Graph target, Dictionary<Value, Value> map)
    {
        target.DocString = source.DocString;
        CopyMetadata(source.MetadataProps, target.MetadataProps);
        foreach (var annotation in source.QuantizationAnnotations)
            target.QuantizationAnnotations.Add(annotation);

        foreach (var input in source.Inputs)
            map[input] = target.AddInput(input.Name);
        foreach (var initializer in source.Initializers)
        {
            var value = initializer.Initializer is { } dense
                ? target.AddInitializer(initializer.Name, dense)
                : target.AddSparseInitializer(initializer.Name, initializer.SparseInitializer!);
            map[initializer] = value;
        }

        // Outputs first, inputs second: node order need not be topological, so a node may read a later node's output.
        var nodes = new List<(Node Source, Node Copy)>(source.Nodes.Count);
        foreach (var node in source.Nodes)
        {
            var copy = target.AddNode(node.OpType, [], node.Outputs.Select(o => o?.Name), name: node.Name, domain: node.Domain);
            copy.Overload = node.Overload;
            copy.DocString = node.DocString;
            CopyMetadata(node.MetadataProps, copy.MetadataProps);
            for (var i = 0; i < node.Outputs.Count; i++)
                if (node.Outputs[i] is { } output)
                    map[output] = copy.Output(i);
            nodes.Add((node, copy));
        }
        foreach (var value in source.DeclaredValues)
            if (!map.ContainsKey(value))
                map[value] = target.Declare(value.Name, null);
        foreach (var value in source.DeclaredValues)
            CopyValueInfo(value, map[value]);

        foreach (var (node, copy) in nodes)
        {
            foreach (var input in node.Inputs)
                copy.AddInput(input is null ? null : map.GetValueOrDefault(input, input));
            // Subgraphs are cloned once every value of this scope has its copy, so their captures resolve.
            foreach (var attr in node.Attributes)
                copy.SetAttr(CloneAttr(attr, map));
        }
        foreach (var output in source.Outputs)
            target.Outputs.Add(map.GetValueOrDefault(output, output));
    }

    static Attr CloneAttr(Attr attr, Dictionary<Value, Value> map) => attr.Kind switch
    {
        AttrKind.Graph when attr.Payload is Graph graph => attr.WithPayload(CloneSubgraph(graph, map)),
        AttrKind.Graphs when attr.Payload is Graph[] graphs => attr.WithPayload(graphs.Select(g => CloneSubgraph(g, map)).ToArray()),
        _ => attr,
    };

    static Graph CloneSubgraph(Graph graph, Dictionary<Value, Value> map)
    {
        var copy = new Graph(graph.Name);
        CloneInto(graph, copy, map);
        return copy;
    }

    static void CopyValueInfo(Value source, Value target)
    {
        target.Type = source.Type;
        target.DocString = source.DocString;
        CopyMetadata(source.MetadataProps, target.MetadataProps);
    }

    static void CopyOpsets(OpsetImports source, OpsetImports target)
    {
        foreach (var (domain, version) in source)
            target[domain] = version;
    }

    static void CopyMetadata(IDictionary<string, string> source, IDictionary<string, string> target)
    {
        foreach (var (key, value) in source)
            target[key] = value;
    }
}
