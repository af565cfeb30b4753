using OnnxFuse.Ir.Editing;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Inference;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Passes.Matching;

namespace OnnxFuse.Passes.Quantization;

/// <summary>How <see cref="Quantizer"/> calibrates and whether it applies the config's fuse_names.</summary>
public sealed record QuantizationOptions(IActivationObserver Observer, IReadOnlyList<IReadOnlyDictionary<string, TensorData>> CalibrationSamples)
{
    public CalibrationMethod Method { get; init; } = CalibrationMethod.MinMax;

    /// <summary>The upper percentile of <see cref="CalibrationMethod.Percentile"/> (the lower one is 100 − this).</summary>
    public double Percentile { get; init; } = 99.99;

    /// <summary>False quantizes every selected op separately (BatchNormalization and activations between Q/DQ pairs).</summary>
    public bool ApplyFusion { get; init; } = true;
}

/// <summary>The quantized model and what was done to it.</summary>
public sealed record QuantizationResult(Model Model, IReadOnlyList<FusedModule> Fused, int QuantizedOps, int ActivationPairs, int QuantizedWeights);

/// <summary>
/// Static quantization to QDQ form: fuse the named modules (<see cref="ModuleFusion"/>), select ops by the config
/// entries (first matching entry wins), calibrate the selected activations on the float model, then insert the
/// Q/DQ pairs and quantize weights (int8, symmetric, per channel on the output axis: Conv axis 0, Gemm axis 0 when
/// transB = 1 else 1, MatMul the last axis) and, when listed, bias (int32, scale s_x · s_w). A value read by
/// several selected ops gets one Q/DQ pair. Bias is quantized only when the op's input and weight are.
/// </summary>
public static class Quantizer
{
    public static QuantizationResult Quantize(Model original, QuantizationConfig config, QuantizationOptions options)
    {
        var model = original.Clone();
        var graph = model.Graph;
        var fused = options.ApplyFusion ? ModuleFusion.Apply(model, config) : [];
        var outputs = fused.ToDictionary(f => f.Head, f => f.QuantizationPoint);
        var absorbed = fused.SelectMany(f => f.Absorbed).ToHashSet();
        var selected = graph.Nodes.Where(n => !absorbed.Contains(n))
            .Select(n => (Node: n, Entry: config.Entries.FirstOrDefault(e => Selects(e, n))))
            .Where(s => s.Entry is not null).Select(s => (s.Node, Entry: s.Entry!)).ToList();

        var activations = new Dictionary<Value, QuantizationEntry>();
        foreach (var (node, entry) in selected)
        {
            if (entry.Targets.HasFlag(QuantizationTargets.Input) && node.Inputs.Count > 0 && IsFloatActivation(node.Input(0)))
                activations.TryAdd(node.Input(0), entry);
            var output = outputs.GetValueOrDefault(node) ?? node.OptionalOutput(0);
            if (entry.Targets.HasFlag(QuantizationTargets.Output) && output is not null)
                activations.TryAdd(output, entry);
        }
        var ranges = Calibration.Ranges(model, [.. activations.Keys.Select(v => v.Name)], options.Observer, options.CalibrationSamples, options.Method, options.Percentile);
        var scales = new Dictionary<Value, float>();
        foreach (var (value, entry) in activations)
        {
            var (scale, zeroPoint) = QdqEncoding.ActivationParameters(ranges.GetValueOrDefault(value.Name), entry.ActivationType, entry.Scheme);
            scales[QdqEncoding.InsertPair(value, scale, zeroPoint)] = scale;
        }
        var weights = 0;
        foreach (var (node, entry) in selected)
            if (entry.Targets.HasFlag(QuantizationTargets.Weight) && WeightAxis(node) is { } axis)
            {
                var weightScales = QdqEncoding.QuantizeWeight(node, 1, axis, entry.WeightGranularity == QuantizationGranularity.PerChannel);
                weights++;
                var bias = node.OpType == "MatMul" ? null : node.OptionalInput(2);
                if (entry.Targets.HasFlag(QuantizationTargets.Bias) && bias is { ConstantData: { Rank: 1, ElementType: ElementType.Float } data }
                    && scales.TryGetValue(node.Input(0), out var inputScale) && (weightScales.Length == 1 || weightScales.Length == data.Dims[0]))
                    QdqEncoding.QuantizeBias(node, 2, inputScale, weightScales);
            }
        Toposort.Sort(graph);
        DeadCodeElimination.Run(graph);
        ShapeInference.Run(model);
        return new QuantizationResult(model, fused, selected.Count, activations.Count, weights);
    }

    /// <summary>Whether <paramref name="entry"/> selects <paramref name="node"/>: by name (when given) and by type (when given).</summary>
    public static bool Selects(QuantizationEntry entry, Node node) =>
        node.IsDefaultDomain && node.OpType is not ("QuantizeLinear" or "DequantizeLinear" or "Constant")
        && (entry.OpNames.Count == 0 || entry.OpNames.Any(name => ModuleNames.Matches(name, node)))
        && (entry.OpTypes.Count == 0 || entry.OpTypes.Contains(node.OpType));

    static bool IsFloatActivation(Value value) => !value.IsConstant && value.ElementType is null or ElementType.Float;

    /// <summary>The output-channel axis of the op's constant float weight (input 1), or null for ops without one.</summary>
    static int? WeightAxis(Node node)
    {
        if (node.Inputs.Count < 2 || Constants.Floats(node.Input(1)) is null)
            return null;
        return node.OpType switch
        {
            "Conv" => 0,
            "Gemm" => node.GetInt("transB", 0) == 1 ? 0 : 1,
            "MatMul" when node.Input(1).ConstantData!.Rank == 2 => 1,
            _ => null,
        };
    }
}
