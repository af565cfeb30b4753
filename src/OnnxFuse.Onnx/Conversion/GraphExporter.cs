using Google.Protobuf.Collections;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Onnx.Protos;

namespace OnnxFuse.Onnx.Conversion;

/// <summary>
/// <see cref="Graph"/> → <c>GraphProto</c> / <c>FunctionProto</c>. Typed values that are neither graph inputs nor
/// outputs become <c>value_info</c>; weights are wrapped, not copied, or sent to an external-data writer.
/// </summary>
sealed class GraphExporter(ExternalDataWriter? externalData)
{
    public GraphProto ExportGraph(Graph graph)
    {
        var proto = new GraphProto { Name = graph.Name };
        if (graph.DocString is { Length: > 0 } doc)
            proto.DocString = doc;
        CopyMetadata(graph.MetadataProps, proto.MetadataProps);
        proto.Input.AddRange(graph.Inputs.Select(ValueInfo));
        foreach (var initializer in graph.Initializers)
        {
            if (initializer.Initializer is { } dense)
                proto.Initializer.Add(TensorConverter.ToProto(dense, initializer.Name, externalData));
            else if (initializer.SparseInitializer is { } sparse)
                proto.SparseInitializer.Add(SparseTensorConverter.ToProto(sparse, initializer.Name));
        }
        proto.Node.AddRange(graph.Nodes.Select(ExportNode));
        proto.Output.AddRange(graph.Outputs.Select(ValueInfo));
        proto.ValueInfo.AddRange(IntermediateValues(graph).Select(ValueInfo));
        foreach (var (tensorName, parameters) in graph.QuantizationAnnotations)
        {
            var annotation = new TensorAnnotation { TensorName = tensorName };
            CopyMetadata(parameters, annotation.QuantParameterTensorNames);
            proto.QuantizationAnnotation.Add(annotation);
        }
        return proto;
    }

    public FunctionProto ExportFunction(FunctionDef function)
    {
        var proto = new FunctionProto { Name = function.Name, Domain = function.Domain, Overload = function.Overload };
        if (function.DocString is { Length: > 0 } doc)
            proto.DocString = doc;
        proto.Input.AddRange(function.Body.Inputs.Select(v => v.Name));
        proto.Output.AddRange(function.Body.Outputs.Select(v => v.Name));
        proto.Attribute.AddRange(function.AttributeNames);
        proto.AttributeProto.AddRange(function.AttributeDefaults.Select(a => AttributeConverter.ToProto(a, ExportGraph, externalData)));
        proto.Node.AddRange(function.Body.Nodes.Select(ExportNode));
        var typed = function.Body.Inputs.Concat(function.Body.Nodes.SelectMany(n => n.Outputs).OfType<Value>())
            .Where(v => v.Type is not null || v.DocString is not null || v.MetadataProps.Count > 0)
            .Distinct();
        proto.ValueInfo.AddRange(typed.Select(ValueInfo));
        foreach (var (domain, version) in function.OpsetImports)
            proto.OpsetImport.Add(new OperatorSetIdProto { Domain = domain, Version = version });
        CopyMetadata(function.MetadataProps, proto.MetadataProps);
        return proto;
    }

    public static void CopyMetadata(IEnumerable<KeyValuePair<string, string>> source, RepeatedField<StringStringEntryProto> destination)
    {
        foreach (var (key, value) in source)
            destination.Add(new StringStringEntryProto { Key = key, Value = value });
    }

    static IEnumerable<Value> IntermediateValues(Graph graph) =>
        graph.Nodes.SelectMany(n => n.Outputs).OfType<Value>()
            .Where(v => (v.Type is not null || v.DocString is not null || v.MetadataProps.Count > 0) && !v.IsGraphInput && !v.IsGraphOutput);

    NodeProto ExportNode(Node node)
    {
        var proto = new NodeProto { Name = node.Name, OpType = node.OpType, Domain = node.Domain, Overload = node.Overload };
        if (node.DocString is { Length: > 0 } doc)
            proto.DocString = doc;
        proto.Input.AddRange(node.Inputs.Select(v => v?.Name ?? ""));
        proto.Output.AddRange(node.Outputs.Select(v => v?.Name ?? ""));
        proto.Attribute.AddRange(node.Attributes.Select(a => AttributeConverter.ToProto(a, ExportGraph, externalData)));
        CopyMetadata(node.MetadataProps, proto.MetadataProps);
        return proto;
    }

    static ValueInfoProto ValueInfo(Value value)
    {
        var proto = new ValueInfoProto { Name = value.Name };
        if (value.Type is { } type)
            proto.Type = TypeConverter.ToProto(type);
        if (value.DocString is { Length: > 0 } doc)
            proto.DocString = doc;
        CopyMetadata(value.MetadataProps, proto.MetadataProps);
        return proto;
    }
}
