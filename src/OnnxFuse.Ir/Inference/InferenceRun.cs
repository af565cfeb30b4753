using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;

namespace OnnxFuse.Ir.Inference;

/// <summary>
/// The state of one <see cref="ShapeInference.Run"/>: visits graphs in dependency order, applies the rule of each
/// node, merges results into values, and keeps the map of known small integer contents.
/// </summary>
sealed class InferenceRun
{
    readonly Model _model;
    readonly ShapeInferenceOptions _options;
    readonly Dictionary<Value, PartialData?> _data = [];
    readonly HashSet<Graph> _visited = [];

    public InferenceRun(Model model, ShapeInferenceOptions options)
    {
        _model = model;
        _options = options;
    }

    public ShapeInferenceReport Report { get; } = new();

    public void InferMainGraph()
    {
        InferGraph(_model.Graph);
        foreach (var input in _model.Graph.Inputs)
            if (TypeChecks.MissingPart(input.Type) is { } missing)
                Report.AddUnresolved(new UnresolvedValue(input.Name, null, null, $"graph input {missing}"));
    }

    /// <summary>
    /// Known contents of a small integer value: constants always (read on first request), computed values only
    /// when data propagation is on.
    /// </summary>
    public PartialData? DataOf(Value value)
    {
        if (_data.TryGetValue(value, out var known))
            return known;
        var data = value.ConstantData is { } constant ? FromTensor(constant) : null;
        _data[value] = data;
        return data;
    }

    public IReadOnlyList<OnnxType?> InferSubgraph(Graph graph, IReadOnlyList<OnnxType?> inputTypes)
    {
        for (var i = 0; i < graph.Inputs.Count && i < inputTypes.Count; i++)
        {
            var input = graph.Inputs[i];
            if (inputTypes[i] is { } type)
                input.Type = input.Type is null ? type : TypeMerge.Merge(input.Type, type, out _);
        }
        InferGraph(graph);
        return [.. graph.Outputs.Select(o => o.Type)];
    }

    public void ReportInvalid(Node node, string message)
    {
        var conflict = new ShapeConflict(node.Outputs.FirstOrDefault(o => o is not null)?.Name ?? "", node.Name, node.OpType, message);
        Report.AddConflict(conflict);
        if (_options.ThrowOnConflict)
            Throw.ShapeMismatch($"node {node.Describe()}: {message}");
    }

    void InferGraph(Graph graph)
    {
        if (!_visited.Add(graph))
            return;
        foreach (var node in NodeOrder.Topological(graph))
            InferNode(node);
    }

    void InferNode(Node node)
    {
        var key = node.IsDefaultDomain ? node.OpType : $"{node.Domain}.{node.OpType}";
        var stats = Report.Stats(key);
        stats.NodeCount++;
        var rule = RuleTable.Find(node.Domain, node.OpType);
        var context = new InferenceContext(this, node, _model.OpsetImports[node.Domain] ?? 0);
        if (rule is null)
        {
            stats.NoRule = true;
            context.Unknown($"no inference rule for {key}");
            foreach (var subgraph in node.Subgraphs)
                InferGraph(subgraph);
        }
        else
        {
            try
            {
                rule.Infer(context);
            }
            catch (Exception error) when (error is InvalidOperationException or ArgumentException or OverflowException)
            {
                context.Unknown($"cannot apply {key}'s shape rule: {error.Message}");
            }
        }
        for (var i = 0; i < node.Outputs.Count; i++)
            if (node.Outputs[i] is { } output)
                Apply(context, output, context.OutputTypes[i], context.OutputData[i], stats);
    }

    void Apply(InferenceContext context, Value output, OnnxType? inferred, PartialData? data, OpTypeInferenceStats stats)
    {
        var node = context.Node;
        if (inferred is TensorType { ElementType: ElementType.Undefined, Shape: null })
            inferred = null;
        if (inferred is not null)
        {
            var before = output.Type;
            if (output.Type is null)
            {
                output.Type = inferred;
            }
            else
            {
                var merged = TypeMerge.Merge(output.Type, inferred, out var conflict);
                if (conflict is not null)
                    ReportConflict(node, output, conflict);
                output.Type = merged;
            }
            if (!Equals(before, output.Type))
                Report.InferredCount++;
        }
        if (data is not null && _options.PropagateData)
            _data[output] = data;
        if (TypeChecks.MissingPart(output.Type) is { } missing)
        {
            stats.UnresolvedOutputs++;
            var reason = context.UnknownReason ?? DefaultReason(node) ?? $"the {node.OpType} rule could not determine its {missing}";
            Report.AddUnresolved(new UnresolvedValue(output.Name, node.Name, node.OpType, reason));
        }
        else if (inferred is not null)
        {
            stats.InferredOutputs++;
        }
    }

    void ReportConflict(Node node, Value output, string conflict)
    {
        var message = $"value '{output.Name}' {conflict}";
        Report.AddConflict(new ShapeConflict(output.Name, node.Name, node.OpType, message));
        if (_options.ThrowOnConflict)
            Throw.ShapeMismatch($"node {node.Describe()}: {message}");
    }

    static string? DefaultReason(Node node) =>
        node.Inputs.FirstOrDefault(i => i is not null && TypeChecks.MissingPart(i.Type) is not null) is { } input
            ? $"input '{input.Name}' has {TypeChecks.MissingPart(input.Type)}"
            : null;

    static PartialData? FromTensor(TensorData tensor)
    {
        if (tensor.ElementCount > PartialData.MaxElements)
            return null;
        long[]? values = tensor.ElementType switch
        {
            ElementType.Int64 => tensor.ToArray<long>(),
            ElementType.Int32 => [.. tensor.ToArray<int>().Select(v => (long)v)],
            ElementType.Int16 => [.. tensor.ToArray<short>().Select(v => (long)v)],
            ElementType.Int8 => [.. tensor.ToArray<sbyte>().Select(v => (long)v)],
            ElementType.UInt8 => [.. tensor.ToArray<byte>().Select(v => (long)v)],
            ElementType.Bool => [.. tensor.Bytes.ToArray().Select(v => v != 0 ? 1L : 0L)],
            _ => null,
        };
        return values is null ? null : new PartialData([.. tensor.Dims], [.. values.Select(Dim.Of)]);
    }
}
