using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Passes.Matching;
using OnnxFuse.Passes.Rewriting;

namespace OnnxFuse.Passes.Quantization.Lowering;

/// <summary>
/// A Conv bias as QLinearConv takes it: int32 [M] in scale s_x · s_w[m], zero point 0. A DequantizeLinear of int32 already in that
/// scale (what the quantizer and ONNX Runtime's write) is used as is (<see cref="Existing"/>); a float bias, or an int32 one in
/// another scale, is requantized: b_q[m] = round(b[m] / (s_x · s_w[m])), off by at most half a step of the accumulator, far
/// below one output step.
/// </summary>
public sealed record QuantizedBias(Value? Existing, int[]? Requantized)
{
    /// <summary>Relative difference tolerated between a bias scale and s_x · s_w: the rounding of a float32 product.</summary>
    const float ScaleTolerance = 1e-6f;

    public static QuantizedBias None { get; } = new(null, null);

    /// <summary>The bias <paramref name="bias"/> (null: none) of an op with the given scales, or null when it is not a constant [M].</summary>
    public static QuantizedBias? TryRead(Value? bias, float inputScale, float[] weightScales, int channelCount)
    {
        if (bias is null)
            return None;
        var accumulatorScales = new float[channelCount];
        for (var m = 0; m < channelCount; m++)
            accumulatorScales[m] = inputScale * weightScales[weightScales.Length == 1 ? 0 : m];
        float[]? values;
        if (DequantizedOperand.TryRead(bias, ElementType.Int32) is { } dequantized)
        {
            if (dequantized.Quantized.ConstantData is not { ElementCount: var count } data || count != channelCount)
                return null;
            var zeros = dequantized.ZeroPoint?.ConstantData?.AsSpan<int>().ToArray() ?? [0];
            var scales = dequantized.Scales;
            if (zeros.All(z => z == 0) && (scales.Length == 1 || scales.Length == channelCount) && data.Rank == 1 &&
                Enumerable.Range(0, channelCount).All(m => Matches(scales[scales.Length == 1 ? 0 : m], accumulatorScales[m])))
                return new QuantizedBias(dequantized.Quantized, null);
            if (scales.Length != 1 && scales.Length != channelCount)
                return null;
            var integers = data.AsSpan<int>();
            values = new float[channelCount];
            for (var m = 0; m < channelCount; m++)
                values[m] = (integers[m] - zeros[zeros.Length == 1 ? 0 : m]) * scales[scales.Length == 1 ? 0 : m];
        }
        else
        {
            values = Constants.Floats(bias);
        }
        if (values is null || values.Length != channelCount)
            return null;
        var requantized = new int[channelCount];
        for (var m = 0; m < channelCount; m++)
        {
            var quantized = Math.Round((double)values[m] / accumulatorScales[m], MidpointRounding.ToEven);
            if (!(Math.Abs(quantized) <= int.MaxValue))
                return null;
            requantized[m] = (int)quantized;
        }
        return new QuantizedBias(null, requantized);
    }

    /// <summary>The int32 bias input for the lowered op (null when there is no bias).</summary>
    public Value? ValueIn(Graph graph, string hint) =>
        Existing ?? (Requantized is { } values ? PassContext.AddConstant(graph, hint, TensorData.Create<int>([values.Length], values)) : null);

    static bool Matches(float actual, float expected) => Math.Abs(actual - expected) <= ScaleTolerance * Math.Abs(expected);
}
