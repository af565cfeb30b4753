using OnnxFuse.Engine.Tests.Oracles;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using static OnnxFuse.Engine.Tests.Kernels.Quantization.QuantizedTestData;

namespace OnnxFuse.Engine.Tests.Kernels.Quantization;

// Oracle: ONNX Runtime (native, one thread) on the same one-node model; integer outputs must match exactly
// (atol 1e-5 on integers), since both requantize with a float32 multiplier and round half to even. uint8 × int8 cases
// use 7-bit weights (see QuantizedTestData.Bytes).
public sealed class QuantizedConvKernelTests
{
    const double Exact = 1e-5;

    public static TheoryData<string, bool> Shapes() => new()
    {
        { "regular 3x3 pad 1", false }, { "regular 3x3 pad 1", true },
        { "strided dilated", false }, { "strided dilated", true },
        { "grouped", false }, { "depthwise", false }, { "depthwise", true }, { "depthwise stride 1", false }, { "depthwise stride 1", true },
        { "depthwise 7x7", false }, { "depthwise 7x7", true }, { "depthwise stride 2 pads end only", false }, { "depthwise stride 2 pads end only", true },
        { "pointwise", false }, { "pointwise", true }, { "1-D", false }, { "1-D", true },
        { "pointwise 7x7", false }, { "pointwise 7x7", true }, { "pointwise 14x14", false }, { "pointwise 14x14", true },
        { "pointwise 3-column tail", false }, { "pointwise 3-column tail", true },
    };

    static (long[] X, long[] W, int Group, Attr[] Attributes) Shape(string name) => name switch
    {
        "regular 3x3 pad 1" => ([2, 5, 9, 11], [7, 5, 3, 3], 1, [Attr.Ints("pads", [1, 1, 1, 1])]),
        "strided dilated" => ([1, 6, 13, 10], [9, 6, 3, 2], 1, [Attr.Ints("strides", [2, 3]), Attr.Ints("dilations", [2, 1]),
            Attr.Ints("pads", [1, 0, 2, 1])]),
        "grouped" => ([1, 6, 8, 8], [9, 2, 3, 3], 3, [Attr.Ints("pads", [1, 1, 1, 1]), Attr.Int("group", 3)]),
        "depthwise" => ([2, 8, 10, 9], [8, 1, 3, 3], 8, [Attr.Ints("pads", [1, 1, 1, 1]), Attr.Ints("strides", [2, 2]), Attr.Int("group", 8)]),
        "depthwise stride 1" => ([1, 16, 12, 21], [16, 1, 3, 3], 16, [Attr.Ints("pads", [1, 1, 1, 1]), Attr.Int("group", 16)]),
        "depthwise 7x7" => ([2, 24, 7, 7], [24, 1, 3, 3], 24, [Attr.Ints("pads", [1, 1, 1, 1]), Attr.Int("group", 24)]),
        "depthwise stride 2 pads end only" => ([1, 8, 14, 15], [8, 1, 3, 3], 8, [Attr.Ints("pads", [0, 0, 1, 1]), Attr.Ints("strides", [2, 2]),
            Attr.Int("group", 8)]),
        "pointwise" => ([1, 33, 7, 5], [17, 33, 1, 1], 1, []),
        // 49 columns end in a 1-column tile, 20 output channels in a 2-row panel; 196 columns in a 4-column tile, 16 channels in a
        // 4-row panel; 35 columns in a 3-column tile, 27 channels in a 3-row panel.
        "pointwise 7x7" => ([1, 40, 7, 7], [20, 40, 1, 1], 1, []),
        "pointwise 14x14" => ([2, 24, 14, 14], [16, 24, 1, 1], 1, []),
        "pointwise 3-column tail" => ([1, 17, 5, 7], [27, 17, 1, 1], 1, []),
        "1-D" => ([2, 4, 23], [6, 4, 5], 1, [Attr.Ints("pads", [2, 1]), Attr.Ints("strides", [2])]),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory, MemberData(nameof(Shapes))]
    public void QLinearConv_matches_ort_with_per_channel_scales_and_bias(string shape, bool signedInput)
    {
        var (xDims, wDims, _, attributes) = Shape(shape);
        var outputChannels = (int)wDims[0];
        var bias = TensorData.Create<int>([outputChannels], [.. Enumerable.Range(0, outputChannels).Select(i => i * 211 - 700)]);
        TensorData?[] inputs =
        [
            Bytes(1, xDims, signedInput), Scales(0.02f), ZeroPoints(signedInput, signedInput ? -3 : 121),
            Bytes(2, wDims, true, sevenBit: !signedInput), ChannelScales(3, outputChannels), ZeroPoints(true, [.. new int[outputChannels]]),
            Scales(0.05f), ZeroPoints(signedInput, signedInput ? 4 : 131), bias,
        ];
        OrtOracle.AssertMatchesOrt("QLinearConv", inputs, attributes, domain: "", constantInputs: [3, 4, 5, 8], rtol: 0, atol: Exact);
    }

    [Theory, MemberData(nameof(Shapes))]
    public void QLinearConv_matches_ort_with_per_tensor_scales_and_runtime_weights(string shape, bool signedInput)
    {
        var (xDims, wDims, _, attributes) = Shape(shape);
        TensorData?[] inputs =
        [
            Bytes(4, xDims, signedInput), Scales(0.03f), ZeroPoints(signedInput, signedInput ? 7 : 100),
            Bytes(5, wDims, false), Scales(0.004f), ZeroPoints(false, 120), Scales(0.09f), ZeroPoints(signedInput, signedInput ? -2 : 128),
        ];
        if (signedInput)
            inputs[3] = Bytes(5, wDims, true);
        if (signedInput)
            inputs[5] = ZeroPoints(true, 0);
        OrtOracle.AssertMatchesOrt("QLinearConv", inputs, attributes, domain: "", rtol: 0, atol: Exact);
    }

    [Theory, MemberData(nameof(Shapes))]
    public void ConvInteger_matches_ort(string shape, bool signedWeights)
    {
        var (xDims, wDims, _, attributes) = Shape(shape);
        TensorData?[] inputs = [Bytes(6, xDims, false), Bytes(7, wDims, signedWeights, sevenBit: true), ZeroPoints(false, 97), ZeroPoints(signedWeights, 5)];
        OrtOracle.AssertMatchesOrt("ConvInteger", inputs, attributes, domain: "", constantInputs: [1, 3], rtol: 0, atol: Exact);
    }

    // With AVX-VNNI, uint8 weights around zero point 128 fit int8 after subtraction and take the u8 × s8 quad route;
    // zero point 3 leaves values up to 252, so those weights stay on the int16 pairs.
    [Theory, InlineData("regular 3x3 pad 1", 128), InlineData("regular 3x3 pad 1", 3), InlineData("pointwise", 128), InlineData("pointwise", 3)]
    public void QLinearConv_with_uint8_weights_matches_ort_on_either_route(string shape, int weightZeroPoint)
    {
        var (xDims, wDims, _, attributes) = Shape(shape);
        TensorData?[] inputs =
        [
            Bytes(14, xDims, false), Scales(0.03f), ZeroPoints(false, 117),
            Bytes(15, wDims, false), Scales(0.004f), ZeroPoints(false, weightZeroPoint), Scales(0.2f), ZeroPoints(false, 125),
        ];
        OrtOracle.AssertMatchesOrt("QLinearConv", inputs, attributes, domain: "", constantInputs: [3, 4, 5], rtol: 0, atol: Exact);
    }

    [Fact]
    public void Depthwise_QLinearConv_matches_ort_when_threaded()
    {
        TensorData?[] inputs =
        [
            Bytes(11, [2, 48, 19, 23], false), Scales(0.02f), ZeroPoints(false, 128),
            Bytes(12, [48, 1, 3, 3], true, sevenBit: true), ChannelScales(13, 48), ZeroPoints(true, [.. new int[48]]), Scales(0.1f), ZeroPoints(false, 90),
        ];
        OrtOracle.AssertMatchesOrt("QLinearConv", inputs, [Attr.Ints("pads", [1, 1, 1, 1]), Attr.Int("group", 48)], domain: "",
            constantInputs: [1, 2, 3, 4, 5, 6, 7], rtol: 0, atol: Exact, threadCount: 4);
    }

    [Fact]
    public void Pointwise_QLinearConv_with_partial_tiles_matches_ort_on_two_threads()
    {
        TensorData?[] inputs =
        [
            Bytes(14, [1, 160, 7, 7], false), Scales(0.02f), ZeroPoints(false, 119),
            Bytes(15, [962, 160, 1, 1], true, sevenBit: true), ChannelScales(16, 962), ZeroPoints(true, [.. new int[962]]), Scales(0.2f),
            ZeroPoints(false, 101), TensorData.Create<int>([962], [.. Enumerable.Range(0, 962).Select(i => i * 37 - 15000)]),
        ];
        OrtOracle.AssertMatchesOrt("QLinearConv", inputs, [], domain: "", constantInputs: [1, 2, 3, 4, 5, 6, 7, 8], rtol: 0, atol: Exact,
            threadCount: 2);
    }

    [Fact]
    public void QLinearConv_matches_ort_when_threaded()
    {
        TensorData?[] inputs =
        [
            Bytes(8, [1, 32, 28, 28], false), Scales(0.02f), ZeroPoints(false, 128),
            Bytes(9, [64, 32, 3, 3], true, sevenBit: true), ChannelScales(10, 64), ZeroPoints(true, [.. new int[64]]), Scales(0.3f), ZeroPoints(false, 100),
        ];
        OrtOracle.AssertMatchesOrt("QLinearConv", inputs, [Attr.Ints("pads", [1, 1, 1, 1])], domain: "", constantInputs: [1, 2, 3, 4, 5, 6, 7], rtol: 0,
            atol: Exact, threadCount: 4);
    }
}
