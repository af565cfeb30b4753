using OnnxFuse.Compose;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;
using OnnxFuse.Ir.Validation;

namespace OnnxFuse.Cli.Inspection;

/// <summary>
/// What <c>onnxfuse inspect</c> reports about a model; serialized as-is for <c>--json</c>.
/// <see cref="Problems"/> lists what <see cref="GraphVerifier"/> finds (empty for a valid model).
/// <see cref="Fusion"/> is the fusion record of a model fused by OnnxFuse (null otherwise).
/// </summary>
sealed record ModelSummary(
    string File,
    long IrVersion,
    IReadOnlyDictionary<string, long> Opsets,
    string Producer,
    IReadOnlyList<ValueSummary> Inputs,
    IReadOnlyList<ValueSummary> Outputs,
    int NodeCount,
    int SubgraphNodeCount,
    IReadOnlyDictionary<string, int> OpTypes,
    long ParameterCount,
    long ParameterBytes,
    IReadOnlyDictionary<string, string> Metadata,
    IReadOnlyList<string> Problems,
    FusionMetadata? Fusion)
{
    public static ModelSummary Of(Model model, string file)
    {
        var allNodes = model.Graph.AllNodes().ToList();
        var opTypes = OpHistogram.Of(model)
            .OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal)
            .ToDictionary(p => p.Key, p => p.Value);
        var weights = Weights(model.Graph).ToList();
        var producer = string.IsNullOrEmpty(model.ProducerVersion) ? model.ProducerName : $"{model.ProducerName} {model.ProducerVersion}";
        var fusion = FusionMetadata.Read(model);
        // An initializer that is also a graph input is a weight in old exports, but a fused model's input with a default
        // in a switched model (the caller feeds only the chosen model's inputs): list those, marked.
        var fusedInputs = fusion?.Models.SelectMany(m => m.Inputs).Select(n => n.Name).ToHashSet(StringComparer.Ordinal) ?? [];
        return new ModelSummary(
            file,
            model.IrVersion,
            model.OpsetImports.ToDictionary(p => p.Key.Length == 0 ? "ai.onnx" : p.Key, p => p.Value),
            producer,
            [.. model.Graph.Inputs.Where(v => !v.IsInitializer || fusedInputs.Contains(v.Name))
                .Select(v => ValueSummary.Of(v) with { HasDefault = v.IsInitializer })],
            [.. model.Graph.Outputs.Select(ValueSummary.Of)],
            model.Graph.Nodes.Count,
            allNodes.Count - model.Graph.Nodes.Count,
            opTypes,
            weights.Sum(w => w.ElementCount),
            weights.Sum(w => w.ByteLength),
            model.MetadataProps.Where(p => p.Key != FusionMetadata.Key).ToDictionary(),
            GraphVerifier.Validate(model),
            fusion);
    }

    /// <summary>Weights: initializers of every graph, and tensors held by Constant nodes (some exporters keep weights there).</summary>
    static IEnumerable<TensorData> Weights(Graph graph) =>
        graph.SelfAndDescendants().SelectMany(g =>
            g.Initializers.Select(v => v.Initializer).OfType<TensorData>()
                .Concat(g.Nodes.Where(n => n.OpType == "Constant" && n.IsDefaultDomain)
                    .Select(n => n.FindAttr("value")).Where(a => a is { Kind: AttrKind.Tensor }).Select(a => a!.AsTensor())));
}

/// <summary>
/// A graph input or output: name, element type and shape (symbolic dims by name, unknown as "?"); <see cref="HasDefault"/>
/// marks an input that may be left out (it has an initializer).
/// </summary>
sealed record ValueSummary(string Name, string Type, IReadOnlyList<string>? Shape)
{
    public bool HasDefault { get; init; }

    public static ValueSummary Of(Value value) => value.Type switch
    {
        TensorType tensor => new ValueSummary(value.Name, tensor.ElementType.DisplayName(), tensor.Shape?.Select(d => d.ToString()).ToList()),
        null => new ValueSummary(value.Name, "?", null),
        var other => new ValueSummary(value.Name, other.ToString() ?? "?", null),
    };

    public string ShapeText => Shape is null ? "?" : $"[{string.Join(", ", Shape)}]";
}
