namespace OnnxFuse.Ir.Graphs;

/// <summary>
/// An ONNX model in IR form: the main graph, opset imports, producer information, metadata properties and
/// model-local functions. Protobuf conversion lives in OnnxFuse.Onnx.
/// </summary>
public sealed class Model
{
    public Model(Graph graph) => Graph = graph;

    public Graph Graph { get; set; }

    public long IrVersion { get; set; } = 8;

    public string ProducerName { get; set; } = "";

    public string ProducerVersion { get; set; } = "";

    public string Domain { get; set; } = "";

    public long ModelVersion { get; set; }

    public string? DocString { get; set; }

    public OpsetImports OpsetImports { get; } = new();

    /// <summary>Metadata properties (key → value) in file order; OnnxFuse's fusion records live here.</summary>
    public IDictionary<string, string> MetadataProps { get; } = new OrderedDictionary<string, string>();

    public IList<FunctionDef> Functions { get; } = [];

    /// <summary>
    /// Training-info records are not interpreted; their serialized bytes ride along so that saving an
    /// inference model loaded from a training export keeps them.
    /// </summary>
    public IList<ReadOnlyMemory<byte>> OpaqueTrainingInfo { get; } = [];

    /// <summary>Opset version that governs a node's operator (the import of its domain).</summary>
    public long OpsetOf(Node node) => OpsetImports[node.Domain] ?? 0;
}
