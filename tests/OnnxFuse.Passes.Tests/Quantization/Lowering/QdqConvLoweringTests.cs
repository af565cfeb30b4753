using OnnxFuse.Ir.Tensors;
using OnnxFuse.Passes.Fusions;
using OnnxFuse.Passes.Quantization.Lowering;

namespace OnnxFuse.Passes.Tests.Quantization.Lowering;

// Oracle: the QDQ model itself, run as written (float Conv between DequantizeLinear and QuantizeLinear) on both targets.
// QLinearConv requantizes (acc + b) · s_x·s_w/s_y in one float32 product where the QDQ model rounds the float Conv's output,
// so an element may land one output step away: tolerance one output step (OutputScale), no relative part.
public sealed class QdqConvLoweringTests
{
    const float OneStep = QdqTestGraphs.OutputScale * 1.001f;

    [Fact]
    public void Lowers_conv_relu6_to_one_QLinearConv_when_the_clip_is_the_uint8_range()
    {
        // Scale 6/255 and zero point 0: q(0) = 0 and q(6) = 255, the saturation bounds, so the Clip disappears.
        var original = QdqTestGraphs.Conv("Clip", outputZero: 0);

        var (lowered, report) = PassTester.Run(original, new QdqConvLowering());

        Assert.Single(report.Applied);
        Assert.Equal(["QuantizeLinear", "QLinearConv", "DequantizeLinear"], PassTester.OpTypes(lowered));
        PassTester.AssertSameOutputs(original, lowered, rtol: 0, atol: OneStep);
    }

    [Theory]
    [InlineData("Relu", 128, 128, 255)]
    [InlineData("Clip", 128, 128, 255)]
    [InlineData("Clip(-1, 1)", 128, 86, 170)]
    public void Keeps_an_activation_that_clamps_inside_the_range_as_an_integer_clip(string activation, int zero, int low, int high)
    {
        // q(±1) = round(±42.5) + 128 rounds half to even: 86 and 170.
        var original = QdqTestGraphs.Conv(activation, outputZero: zero);

        var (lowered, _) = PassTester.Run(original, new QdqConvLowering());

        Assert.Equal(["QuantizeLinear", "QLinearConv", "Clip", "DequantizeLinear"], PassTester.OpTypes(lowered));
        var clip = lowered.Graph.Nodes.Single(n => n.OpType == "Clip");
        Assert.Equal(low, clip.Input(1).ConstantData!.AsSpan<byte>()[0]);
        Assert.Equal(high, clip.Input(2).ConstantData!.AsSpan<byte>()[0]);
        PassTester.AssertSameOutputs(original, lowered, rtol: 0, atol: OneStep);
    }

    [Fact]
    public void Lowers_int8_outputs_and_per_tensor_weights()
    {
        var original = QdqTestGraphs.Conv("Relu", ElementType.Int8, outputZero: 0, perChannel: false, inputType: ElementType.Int8);

        var (lowered, _) = PassTester.Run(original, new QdqConvLowering());

        Assert.Equal(["QuantizeLinear", "QLinearConv", "Clip", "DequantizeLinear"], PassTester.OpTypes(lowered));
        PassTester.AssertSameOutputs(original, lowered, rtol: 0, atol: OneStep);
    }

    [Theory]
    [InlineData(BiasForm.None)]
    [InlineData(BiasForm.Int32InOtherScale)]
    [InlineData(BiasForm.Float)]
    public void Requantizes_a_bias_that_is_not_in_the_accumulator_scale(BiasForm bias)
    {
        var original = QdqTestGraphs.Conv(bias: bias);

        var (lowered, _) = PassTester.Run(original, new QdqConvLowering());

        var conv = lowered.Graph.Nodes.Single(n => n.OpType == "QLinearConv");
        Assert.Equal(bias == BiasForm.None ? null : ElementType.Int32, conv.OptionalInput(8)?.ConstantData?.ElementType);
        PassTester.AssertSameOutputs(original, lowered, rtol: 0, atol: OneStep);
    }

    [Fact]
    public void Lowers_depthwise_convolutions()
    {
        var original = QdqTestGraphs.Conv("Clip", outputZero: 0, group: 4);

        var (lowered, _) = PassTester.Run(original, new QdqConvLowering());

        Assert.Equal(4, lowered.Graph.Nodes.Single(n => n.OpType == "QLinearConv").GetInt("group", 1));
        PassTester.AssertSameOutputs(original, lowered, rtol: 0, atol: OneStep);
    }

    [Fact]
    public void Absorbs_the_activation_of_a_FusedConv()
    {
        var original = QdqTestGraphs.Conv("Clip", outputZero: 0);

        var (lowered, _) = PassTester.Run(original, new ConvActivationFusion(), new QdqConvLowering());

        Assert.Equal(["QuantizeLinear", "QLinearConv", "DequantizeLinear"], PassTester.OpTypes(lowered));
        Assert.DoesNotContain(lowered.Graph.Nodes.Single(n => n.OpType == "QLinearConv").Attributes, a => a.Name.StartsWith("activation", StringComparison.Ordinal));
        PassTester.AssertSameOutputs(original, lowered, rtol: 0, atol: OneStep);
    }

    [Fact]
    public void Leaves_a_conv_whose_float_output_has_another_reader()
    {
        var original = QdqTestGraphs.Conv(extraReader: true);
        Assert.Empty(PassTester.Run(original, new QdqConvLowering()).Report.Applied);
    }

    [Fact]
    public void Leaves_per_channel_weights_quantized_along_another_axis()
    {
        var original = QdqTestGraphs.Conv(weightAxis: 1);
        Assert.Empty(PassTester.Run(original, new QdqConvLowering()).Report.Applied);
    }

    [Fact]
    public void Leaves_uint8_inputs_with_int8_outputs_which_onnx_runtime_has_no_kernel_for()
    {
        var original = QdqTestGraphs.Conv(outputType: ElementType.Int8, outputZero: 0);
        Assert.Empty(PassTester.Run(original, new QdqConvLowering()).Report.Applied);
    }

    [Fact]
    public void Leaves_a_weight_scale_that_is_not_constant()
    {
        var original = QdqTestGraphs.Conv(constantWeightScale: false);
        Assert.Empty(PassTester.Run(original, new QdqConvLowering()).Report.Applied);
    }
}
