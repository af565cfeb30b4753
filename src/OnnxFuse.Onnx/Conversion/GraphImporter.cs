using Google.Protobuf.Collections;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Onnx.Protos;

namespace OnnxFuse.Onnx.Conversion;

/// <summary>
/// <c>GraphProto</c> / <c>FunctionProto</c> → <see cref="Graph"/>, in two passes. The first declares every value
/// (inputs, initializers, all node outputs, recursively into subgraphs) and attaches subgraphs to their nodes; the
/// second wires node inputs and graph outputs by name. Files need not be sorted topologically, and a subgraph can
/// capture an outer value defined by a later node, so no input is resolved before every name is declared.
/// </summary>
sealed class GraphImporter(LoadContext context)
{
    readonly List<Action> _wiring = [];

    public Graph ImportGraph(GraphProto proto)
    {
        var graph = Declare(proto, scope: "");
        Wire();
        return graph;
    }

    public FunctionDef ImportFunction(FunctionProto proto)
    {
        var scope = $" in function '{(proto.Domain.Length > 0 ? proto.Domain + "." : "")}{proto.Name}'";
        var body = new Graph(proto.Name);
        foreach (var input in proto.Input)
        {
            if (body.FindDeclared(input) is not null)
                context.Fail($"input '{input}'{scope} is listed twice");
            body.AddInput(input);
        }
        DeclareNodes(body, proto.Node, scope);
        ApplyValueInfo(body, proto.ValueInfo, scope);
        var outputs = proto.Output;
        _wiring.Add(() =>
        {
            foreach (var output in outputs)
                body.Outputs.Add(body.FindValue(output) ?? context.Fail<Value>($"output '{output}'{scope} is not defined by any node or input"));
        });
        Wire();

        var function = new FunctionDef(proto.Domain, proto.Name, body) { Overload = proto.Overload, DocString = NullIfEmpty(proto.DocString) };
        foreach (var name in proto.Attribute)
            function.AttributeNames.Add(name);
        foreach (var attr in proto.AttributeProto)
            function.AttributeDefaults.Add(AttributeConverter.ToIr(attr, context, $"function '{proto.Name}'", ImportNestedGraph));
        Wire();
        foreach (var opset in proto.OpsetImport)
            function.OpsetImports[opset.Domain] = opset.Version;
        CopyMetadata(proto.MetadataProps, function.MetadataProps);
        return function;
    }

    public static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;

    public static void CopyMetadata(RepeatedField<StringStringEntryProto> source, IDictionary<string, string> destination)
    {
        foreach (var entry in source)
            destination[entry.Key] = entry.Value;
    }

    void Wire()
    {
        // Wiring a node can import nothing new, so the list does not grow while it runs.
        foreach (var action in _wiring)
            action();
        _wiring.Clear();
    }

    Graph ImportNestedGraph(GraphProto proto, string owner) => Declare(proto, $" in graph '{proto.Name}' of {owner}");

    Graph Declare(GraphProto proto, string scope)
    {
        var graph = new Graph(proto.Name) { DocString = NullIfEmpty(proto.DocString) };
        CopyMetadata(proto.MetadataProps, graph.MetadataProps);
        foreach (var info in proto.Input)
        {
            if (info.Name.Length == 0)
                context.Fail($"a graph input{scope} has no name");
            var value = graph.AddInput(info.Name, TypeConverter.ToIr(info.Type, context, $"input '{info.Name}'{scope}"));
            ApplyInfo(value, info);
        }
        foreach (var initializer in proto.Initializer)
        {
            var what = $"initializer '{initializer.Name}'{scope}";
            if (initializer.Name.Length == 0)
                context.Fail($"an initializer{scope} has no name");
            var data = TensorConverter.ToIr(initializer, context, what);
            if (graph.FindDeclared(initializer.Name) is { IsInitializer: true })
                context.Fail($"{what} is defined twice");
            graph.AddInitializer(initializer.Name, data);
        }
        foreach (var sparse in proto.SparseInitializer)
        {
            var name = sparse.Values?.Name ?? "";
            var what = $"sparse initializer '{name}'{scope}";
            if (name.Length == 0)
                context.Fail($"a sparse initializer{scope} has no name");
            var data = SparseTensorConverter.ToIr(sparse, context, what);
            if (graph.FindDeclared(name) is { IsInitializer: true })
                context.Fail($"{what} is defined twice");
            graph.AddSparseInitializer(name, data);
        }
        DeclareNodes(graph, proto.Node, scope);
        ApplyValueInfo(graph, proto.ValueInfo, scope);
        foreach (var annotation in proto.QuantizationAnnotation)
        {
            graph.QuantizationAnnotations.Add(new(annotation.TensorName,
                annotation.QuantParameterTensorNames.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal)));
        }
        var outputs = proto.Output;
        _wiring.Add(() =>
        {
            foreach (var info in outputs)
            {
                var value = graph.FindValue(info.Name)
                    ?? context.Fail<Value>($"graph output '{info.Name}'{scope} is not defined by any node, input or initializer");
                graph.Outputs.Add(value);
                value.Type ??= TypeConverter.ToIr(info.Type, context, $"output '{info.Name}'{scope}");
                ApplyInfo(value, info);
            }
        });
        return graph;
    }

    void DeclareNodes(Graph graph, RepeatedField<NodeProto> nodes, string scope)
    {
        foreach (var proto in nodes)
        {
            var describe = $"node '{proto.Name}' ({(proto.Domain is "" or "ai.onnx" ? "" : proto.Domain + ".")}{proto.OpType}){scope}";
            var outputNames = new HashSet<string>(StringComparer.Ordinal);
            foreach (var output in proto.Output)
            {
                if (output.Length > 0 && (graph.FindDeclared(output) is not null || !outputNames.Add(output)))
                    context.Fail($"{describe} writes '{output}', which is already defined");
            }
            var node = graph.AddNode(proto.OpType, [], proto.Output.Select(o => o.Length == 0 ? null : o), name: proto.Name, domain: proto.Domain);
            node.Overload = proto.Overload;
            node.DocString = NullIfEmpty(proto.DocString);
            CopyMetadata(proto.MetadataProps, node.MetadataProps);
            foreach (var attr in proto.Attribute)
                node.SetAttr(AttributeConverter.ToIr(attr, context, describe, ImportNestedGraph));
            var inputs = proto.Input;
            _wiring.Add(() =>
            {
                foreach (var input in inputs)
                {
                    node.AddInput(input.Length == 0
                        ? null
                        : graph.FindValue(input) ?? context.Fail<Value>($"{describe} reads '{input}' which no node, input or initializer defines"));
                }
            });
        }
    }

    void ApplyValueInfo(Graph graph, RepeatedField<ValueInfoProto> infos, string scope)
    {
        foreach (var info in infos)
        {
            // value_info naming nothing in this scope carries no information the IR can hold; it is dropped.
            if (graph.FindDeclared(info.Name) is not { } value)
                continue;
            value.Type ??= TypeConverter.ToIr(info.Type, context, $"value '{info.Name}'{scope}");
            ApplyInfo(value, info);
        }
    }

    static void ApplyInfo(Value value, ValueInfoProto info)
    {
        value.DocString ??= NullIfEmpty(info.DocString);
        CopyMetadata(info.MetadataProps, value.MetadataProps);
    }
}
