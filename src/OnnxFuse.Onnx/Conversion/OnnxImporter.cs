using Google.Protobuf;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Onnx.Protos;

namespace OnnxFuse.Onnx.Conversion;

/// <summary><c>ModelProto</c> → <see cref="Model"/>: header fields, opsets, metadata, functions, the main graph.</summary>
static class OnnxImporter
{
    public static Model Import(ModelProto proto, LoadContext context)
    {
        if (proto.Graph is null)
            context.Fail(proto.IrVersion == 0 && proto.OpsetImport.Count == 0
                ? "not an ONNX model (no graph, IR version or opset found)"
                : "model has no graph");
        var importer = new GraphImporter(context);
        var model = new Model(importer.ImportGraph(proto.Graph))
        {
            IrVersion = proto.IrVersion,
            ProducerName = proto.ProducerName,
            ProducerVersion = proto.ProducerVersion,
            Domain = proto.Domain,
            ModelVersion = proto.ModelVersion,
            DocString = GraphImporter.NullIfEmpty(proto.DocString),
        };
        foreach (var opset in proto.OpsetImport)
            model.OpsetImports[opset.Domain] = opset.Version;
        GraphImporter.CopyMetadata(proto.MetadataProps, model.MetadataProps);
        foreach (var function in proto.Functions)
            model.Functions.Add(importer.ImportFunction(function));
        foreach (var training in proto.TrainingInfo)
            model.OpaqueTrainingInfo.Add(training.ToByteArray());
        return model;
    }
}
