using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Passes.Rewriting;

namespace OnnxFuse.Passes.Quantization;

/// <summary>
/// The QDQ form of quantized tensors (ONNX Runtime's static quantization format):
/// activations  x → QuantizeLinear(s, zp) → DequantizeLinear(s, zp) → readers, s and zp from the calibrated range;
/// weights      int8 initializer → DequantizeLinear(s[c], 0, axis), s[c] = max|W[c]| / 127 (symmetric);
/// bias         int32 initializer → DequantizeLinear(s_x · s_w[c], 0, axis 0), so int8 kernels add it to the int32 sum.
/// </summary>
static class QdqEncoding
{
    /// <summary>Scale and zero point of an activation of range <paramref name="range"/> (widened to hold 0).</summary>
    public static (float Scale, TensorData ZeroPoint) ActivationParameters(ActivationRange range, QuantizedType type, QuantizationScheme scheme)
    {
        var (qmin, qmax) = type == QuantizedType.Int8 ? (-128, 127) : (0, 255);
        var min = Math.Min(0f, range.Min);
        var max = Math.Max(0f, range.Max);
        float scale;
        int zeroPoint;
        if (scheme == QuantizationScheme.Symmetric)
        {
            var bound = Math.Max(-min, max);
            scale = type == QuantizedType.Int8 ? bound / 127 : 2 * bound / 255;
            zeroPoint = type == QuantizedType.Int8 ? 0 : 128;
        }
        else
        {
            scale = (max - min) / (qmax - qmin);
            zeroPoint = scale > 0 ? Math.Clamp((int)MathF.Round(qmin - (min / scale)), qmin, qmax) : 0;
        }
        if (!(scale > 0) || !float.IsFinite(scale))
            scale = 1;
        return (scale, type == QuantizedType.Int8 ? TensorData.Scalar((sbyte)zeroPoint) : TensorData.Scalar((byte)zeroPoint));
    }

    /// <summary>Inserts Q → DQ after <paramref name="value"/>; every reader (and the graph output) gets the DQ's output.</summary>
    public static Value InsertPair(Value value, float scale, TensorData zeroPoint)
    {
        var graph = value.Graph;
        var scaleValue = PassContext.AddConstant(graph, $"{value.Name}_scale", TensorData.Scalar(scale));
        var zeroValue = PassContext.AddConstant(graph, $"{value.Name}_zero_point", zeroPoint);
        var readers = value.Uses.ToList();
        var quantize = graph.AddNode("QuantizeLinear", [value, scaleValue, zeroValue], [graph.UniqueValueName($"{value.Name}_quantized")]);
        var dequantize = graph.AddNode("DequantizeLinear", [quantize.Output(0), scaleValue, zeroValue], [graph.UniqueValueName($"{value.Name}_dequantized")]);
        foreach (var (reader, index) in readers)
            reader.SetInput(index, dequantize.Output(0));
        var outputIndex = graph.Outputs.IndexOf(value);
        if (outputIndex >= 0)
        {
            var name = value.Name;
            value.Name = graph.UniqueValueName($"{name}_float");
            dequantize.Output(0).Name = name;
            graph.Outputs[outputIndex] = dequantize.Output(0);
        }
        return dequantize.Output(0);
    }

    /// <summary>Replaces <paramref name="weightInput"/> of <paramref name="node"/> by int8 + DQ; returns the scale per channel.</summary>
    public static float[] QuantizeWeight(Node node, int weightInput, int axis, bool perChannel)
    {
        var weight = node.Input(weightInput).ConstantData!;
        var values = weight.AsSpan<float>();
        var dims = weight.Dims.ToArray();
        var channelCount = perChannel ? (int)dims[axis] : 1;
        var inner = (int)dims.Skip(axis + 1).Aggregate(1L, (n, d) => n * d);
        int Channel(int i) => perChannel ? i / inner % channelCount : 0;
        var scales = new float[channelCount];
        for (var i = 0; i < values.Length; i++)
            scales[Channel(i)] = Math.Max(scales[Channel(i)], Math.Abs(values[i]));
        for (var c = 0; c < channelCount; c++)
            scales[c] = scales[c] > 0 ? scales[c] / 127 : 1;
        var quantized = new sbyte[values.Length];
        for (var i = 0; i < values.Length; i++)
            quantized[i] = (sbyte)Math.Clamp(MathF.Round(values[i] / scales[Channel(i)]), -127, 127);
        var hint = $"{node.Input(weightInput).Name}_int8";
        var dequantize = AddDequantize(node, TensorData.Create<sbyte>(dims, quantized), scales, TensorData.Create<sbyte>(ScaleDims(perChannel, channelCount), new sbyte[channelCount]),
            perChannel ? axis : null, hint);
        node.SetInput(weightInput, dequantize);
        return scales;
    }

    /// <summary>Replaces the 1-D float bias by int32 + DQ with scale s_x · s_w[c] (per-tensor weights: one s_w for all).</summary>
    public static void QuantizeBias(Node node, int biasInput, float inputScale, float[] weightScales)
    {
        var bias = node.Input(biasInput).ConstantData!.AsSpan<float>();
        var scales = new float[bias.Length];
        var quantized = new int[bias.Length];
        for (var c = 0; c < bias.Length; c++)
        {
            scales[c] = inputScale * weightScales[weightScales.Length == 1 ? 0 : c];
            quantized[c] = (int)Math.Clamp(Math.Round(bias[c] / (double)scales[c]), int.MinValue, int.MaxValue);
        }
        var dequantize = AddDequantize(node, TensorData.Create<int>([bias.Length], quantized), scales, TensorData.Create<int>([bias.Length], new int[bias.Length]), 0,
            $"{node.Input(biasInput).Name}_int32");
        node.SetInput(biasInput, dequantize);
    }

    static long[] ScaleDims(bool perChannel, int channelCount) => perChannel ? [channelCount] : [];

    static Value AddDequantize(Node node, TensorData quantized, float[] scales, TensorData zeroPoint, int? axis, string hint)
    {
        var graph = node.Graph;
        var scaleData = zeroPoint.Rank == 0 ? TensorData.Scalar(scales[0]) : TensorData.Create<float>([scales.Length], scales);
        var inputs = new[] { PassContext.AddConstant(graph, hint, quantized), PassContext.AddConstant(graph, $"{hint}_scale", scaleData), PassContext.AddConstant(graph, $"{hint}_zero_point", zeroPoint) };
        var attributes = axis is { } a && zeroPoint.Rank > 0 ? new[] { Attr.Int("axis", a) } : [];
        return graph.AddNode("DequantizeLinear", inputs, [graph.UniqueValueName($"{hint}_dequantized")], attributes).Output(0);
    }
}
