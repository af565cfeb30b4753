using OnnxFuse.Ir.Building;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Passes.Tests.Quantization.Lowering;

/// <summary>How a QDQ test group's bias is stored.</summary>
public enum BiasForm
{
    None,
    Int32InAccumulatorScale,
    Int32InOtherScale,
    Float,
}

/// <summary>
/// Hand-built QDQ groups for the lowering tests: x [1, 4, 9, 9] float in [−1, 1) → QuantizeLinear(2/255, 128 or 0) →
/// DequantizeLinear → op with an int8 weight (DequantizeLinear, per channel along <c>weightAxis</c> or per tensor) →
/// [activation] → QuantizeLinear(OutputScale, zero point) → DequantizeLinear → y. Weights are 7-bit ([−63, 63]): ONNX Runtime's
/// u8 × s8 kernels on AVX2 without VNNI (vpmaddubsw) saturate int16 pair sums with full-range weights, which would make the
/// oracle, not the lowering, wrong (see the engine's QuantizedTestData).
/// </summary>
static class QdqTestGraphs
{
    public const float InputScale = 2f / 255;
    public const float OutputScale = 6f / 255;

    public static Model Conv(string activation = "none", ElementType outputType = ElementType.UInt8, int outputZero = 128,
        BiasForm bias = BiasForm.Int32InAccumulatorScale, bool perChannel = true, int weightAxis = 0, bool extraReader = false,
        int group = 1, bool constantWeightScale = true, ElementType inputType = ElementType.UInt8)
    {
        const int channels = 4;
        var b = new GraphBuilder(opset: 13);
        var x = Dequantized(b, b.Input("x", ElementType.Float, 1, channels, 9, 9), InputScale, inputType, inputType == ElementType.Int8 ? 0 : 128);
        var weightScales = Enumerable.Range(0, channels).Select(c => 0.004f + 0.001f * c).ToArray();
        var inputChannels = channels / group;
        var weights = Enumerable.Range(0, channels * inputChannels * 9).Select(i => (sbyte)((i * 37 % 127) - 63)).ToArray();
        var scale = perChannel ? b.Initializer("w_scale", TensorData.Create<float>([channels], weightScales)) : b.Initializer("w_scale", TensorData.Scalar(0.005f));
        if (!constantWeightScale)
            scale = b.Node("Identity", [b.Input("w_scale_input", ElementType.Float, channels)]);
        var w = b.Node("DequantizeLinear", [b.Initializer("w_q", TensorData.Create<sbyte>([channels, inputChannels, 3, 3], weights)), scale,
            b.Initializer("w_zero", perChannel ? TensorData.Create<sbyte>([channels], new sbyte[channels]) : TensorData.Scalar((sbyte)0))],
            Attr.Int("axis", weightAxis));
        var biasValues = Enumerable.Range(0, channels).Select(c => c * 0.1f - 0.15f).ToArray();
        var accumulatorScales = weightScales.Select(s => InputScale * (perChannel ? s : 0.005f)).ToArray();
        Value? biasInput = bias switch
        {
            BiasForm.None => null,
            BiasForm.Float => b.Initializer("b", TensorData.Create<float>([channels], biasValues)),
            _ => DequantizedBias(b, biasValues, bias == BiasForm.Int32InAccumulatorScale ? accumulatorScales : [.. accumulatorScales.Select(s => s * 3)]),
        };
        var conv = b.Node("Conv", [x, w, biasInput], Attr.Ints("pads", [1, 1, 1, 1]), Attr.Int("group", group));
        var activated = Activation(b, conv, activation);
        var y = Dequantized(b, activated, OutputScale, outputType, outputZero);
        b.Output(y, "y");
        if (extraReader)
            b.Output(b.Node("Neg", [conv]), "side");
        return b.Build();
    }

    /// <summary>x [5, 16] → Q/DQ → MatMul with an int8 [16, 8] weight (per column or per tensor) → [activation] → Q/DQ → y.</summary>
    public static Model MatMul(string activation = "none", bool perColumn = true, int weightAxis = 1)
    {
        var b = new GraphBuilder(opset: 13);
        var x = Dequantized(b, b.Input("x", ElementType.Float, 5, 16), InputScale, ElementType.UInt8, 128);
        var weights = Enumerable.Range(0, 16 * 8).Select(i => (sbyte)((i * 53 % 127) - 63)).ToArray();
        var scale = perColumn
            ? b.Initializer("w_scale", TensorData.Create<float>([8], [.. Enumerable.Range(0, 8).Select(c => 0.004f + 0.0005f * c)]))
            : b.Initializer("w_scale", TensorData.Scalar(0.005f));
        var w = b.Node("DequantizeLinear", [b.Initializer("w_q", TensorData.Create<sbyte>([16, 8], weights)), scale], Attr.Int("axis", weightAxis));
        var product = b.Node("MatMul", [x, w]);
        b.Output(Dequantized(b, Activation(b, product, activation), OutputScale, ElementType.UInt8, 128), "y");
        return b.Build();
    }

    /// <summary>
    /// x [5, 16] → Q/DQ → Gemm(transB) with an int8 [8, 16] weight (per output column, axis <c>weightAxis</c>, or per tensor) and a
    /// bias (int32 in s_x · s_w, or float) → [activation] → Q/DQ → y.
    /// </summary>
    public static Model Gemm(string activation = "none", bool perColumn = true, int weightAxis = 0, BiasForm bias = BiasForm.Int32InAccumulatorScale,
        int transA = 0, float alpha = 1f)
    {
        var b = new GraphBuilder(opset: 13);
        var x = Dequantized(b, b.Input("x", ElementType.Float, transA == 1 ? [16, 5] : [5, 16]), InputScale, ElementType.UInt8, 128);
        var weightScales = Enumerable.Range(0, 8).Select(c => 0.004f + 0.0005f * c).ToArray();
        var weights = Enumerable.Range(0, 8 * 16).Select(i => (sbyte)((i * 53 % 127) - 63)).ToArray();
        var scale = perColumn ? b.Initializer("w_scale", TensorData.Create<float>([8], weightScales)) : b.Initializer("w_scale", TensorData.Scalar(0.005f));
        var w = b.Node("DequantizeLinear", [b.Initializer("w_q", TensorData.Create<sbyte>([8, 16], weights)), scale], Attr.Int("axis", weightAxis));
        var biasValues = Enumerable.Range(0, 8).Select(c => c * 0.1f - 0.35f).ToArray();
        var accumulatorScales = weightScales.Select(s => InputScale * (perColumn ? s : 0.005f)).ToArray();
        var biasInput = bias == BiasForm.Float
            ? b.Initializer("b", TensorData.Create<float>([8], biasValues))
            : DequantizedBias(b, biasValues, accumulatorScales);
        var product = b.Node("Gemm", [x, w, biasInput], Attr.Int("transB", 1), Attr.Int("transA", transA), Attr.Float("alpha", alpha));
        b.Output(Dequantized(b, Activation(b, product, activation), OutputScale, ElementType.UInt8, 128), "y");
        return b.Build();
    }

    /// <summary>
    /// A residual addition: x [1, 4, 9, 9] → Q/DQ (InputScale) and r [rightDims] (default x's shape) → Q/DQ (scale 3/255, per
    /// channel along axis 1 when <paramref name="perChannelRight"/>) → Add → [activation] → Q/DQ (OutputScale) → y.
    /// </summary>
    public static Model Add(string activation = "none", ElementType type = ElementType.UInt8, ElementType? rightType = null,
        ElementType? outputType = null, long[]? rightDims = null, bool perChannelRight = false, bool extraReader = false)
    {
        var b = new GraphBuilder(opset: 13);
        int Zero(ElementType t) => t == ElementType.Int8 ? 0 : 128;
        var x = Dequantized(b, b.Input("x", ElementType.Float, 1, 4, 9, 9), InputScale, type, Zero(type));
        var residualType = rightType ?? type;
        var r = b.Input("r", ElementType.Float, [.. (rightDims ?? [1, 4, 9, 9]).Select(d => (Ir.Types.Dim)d)]);
        Value residual;
        if (perChannelRight)
        {
            var scale = b.Initializer("r_scale", TensorData.Create<float>([4], [0.01f, 0.012f, 0.014f, 0.016f]));
            var zero = b.Initializer("r_zero", residualType == ElementType.Int8 ? TensorData.Create<sbyte>([4], new sbyte[4]) : TensorData.Create<byte>([4], [128, 128, 128, 128]));
            residual = b.Node("DequantizeLinear", [b.Node("QuantizeLinear", [r, scale, zero], Attr.Int("axis", 1)), scale, zero], Attr.Int("axis", 1));
        }
        else
        {
            residual = Dequantized(b, r, 3f / 255, residualType, Zero(residualType));
        }
        var sum = b.Node("Add", [x, residual]);
        var resultType = outputType ?? type;
        b.Output(Dequantized(b, Activation(b, sum, activation), OutputScale, resultType, activation == "none" ? Zero(resultType) : 0), "y");
        if (extraReader)
            b.Output(b.Node("Neg", [sum]), "side");
        return b.Build();
    }

    static Value Activation(GraphBuilder b, Value input, string activation) => activation switch
    {
        "none" => input,
        "Relu" => b.Node("Relu", [input]),
        "Clip" => b.Node("Clip", [input, b.Initializer("low", TensorData.Scalar(0f)), b.Initializer("high", TensorData.Scalar(6f))]),
        "Clip(-1, 1)" => b.Node("Clip", [input, b.Initializer("low", TensorData.Scalar(-1f)), b.Initializer("high", TensorData.Scalar(1f))]),
        _ => throw new ArgumentOutOfRangeException(nameof(activation)),
    };

    static Value Dequantized(GraphBuilder b, Value value, float scale, ElementType type, int zero)
    {
        var zeroPoint = type == ElementType.Int8 ? TensorData.Scalar((sbyte)zero) : TensorData.Scalar((byte)zero);
        var scaleValue = b.Initializer($"{value.Name}_scale", TensorData.Scalar(scale));
        var zeroValue = b.Initializer($"{value.Name}_zero", zeroPoint);
        return b.Node("DequantizeLinear", [b.Node("QuantizeLinear", [value, scaleValue, zeroValue]), scaleValue, zeroValue]);
    }

    static Value DequantizedBias(GraphBuilder b, float[] values, float[] scales)
    {
        var integers = values.Select((v, c) => (int)MathF.Round(v / scales[c])).ToArray();
        return b.Node("DequantizeLinear", [b.Initializer("b_q", TensorData.Create<int>([values.Length], integers)),
            b.Initializer("b_scale", TensorData.Create<float>([values.Length], scales)), b.Initializer("b_zero", TensorData.Create<int>([values.Length], new int[values.Length]))],
            Attr.Int("axis", 0));
    }
}
