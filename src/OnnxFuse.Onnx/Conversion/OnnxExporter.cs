using Google.Protobuf;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Onnx.Protos;

namespace OnnxFuse.Onnx.Conversion;

/// <summary><see cref="Model"/> → <c>ModelProto</c>, the inverse of <see cref="OnnxImporter"/>.</summary>
static class OnnxExporter
{
    public static ModelProto Export(Model model, ExternalDataWriter? externalData)
    {
        var exporter = new GraphExporter(externalData);
        var proto = new ModelProto
        {
            IrVersion = model.IrVersion,
            ProducerName = model.ProducerName,
            ProducerVersion = model.ProducerVersion,
            Domain = model.Domain,
            ModelVersion = model.ModelVersion,
            Graph = exporter.ExportGraph(model.Graph),
        };
        if (model.DocString is { Length: > 0 } doc)
            proto.DocString = doc;
        foreach (var (domain, version) in model.OpsetImports)
            proto.OpsetImport.Add(new OperatorSetIdProto { Domain = domain, Version = version });
        GraphExporter.CopyMetadata(model.MetadataProps, proto.MetadataProps);
        proto.Functions.AddRange(model.Functions.Select(exporter.ExportFunction));
        for (var i = 0; i < model.OpaqueTrainingInfo.Count; i++)
        {
            try
            {
                proto.TrainingInfo.Add(TrainingInfoProto.Parser.ParseFrom(model.OpaqueTrainingInfo[i].Span));
            }
            catch (InvalidProtocolBufferException ex)
            {
                throw new ModelSaveException($"training_info[{i}] is not a serialized TrainingInfoProto ({ex.Message})", ex);
            }
        }
        return proto;
    }

    /// <summary>
    /// Bytes the model's tensors would take inline (every initializer and tensor attribute, in every graph and
    /// function); the protobuf framing around them is small in comparison.
    /// </summary>
    public static long EstimateTensorBytes(Model model)
    {
        var graphs = model.Graph.SelfAndDescendants().Concat(model.Functions.SelectMany(f => f.Body.SelfAndDescendants()));
        long total = 0;
        foreach (var graph in graphs)
        {
            foreach (var value in graph.Initializers)
            {
                total += value.Initializer?.ByteLength ?? 0;
                if (value.SparseInitializer is { } sparse)
                    total += sparse.Values.ByteLength + sparse.Indices.ByteLength;
            }
            foreach (var attr in graph.Nodes.SelectMany(n => n.Attributes))
            {
                total += attr.Payload switch
                {
                    Ir.Tensors.TensorData t => t.ByteLength,
                    Ir.Tensors.TensorData[] ts => ts.Sum(t => t.ByteLength),
                    _ => 0,
                };
            }
        }
        return total;
    }

    /// <summary>Protobuf's hard limit on one message: 2 GiB − 1 byte.</summary>
    public const long ProtobufLimit = int.MaxValue;
}
