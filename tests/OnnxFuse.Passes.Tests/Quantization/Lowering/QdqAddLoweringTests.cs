using OnnxFuse.Ir.Tensors;
using OnnxFuse.Passes.Quantization.Lowering;
using OnnxFuse.Passes.Rewriting;

namespace OnnxFuse.Passes.Tests.Quantization.Lowering;

// Oracle: the QDQ model itself, run as written (float Add between DequantizeLinear and QuantizeLinear) on both targets.
// QLinearAdd sums a · s_a/s_c + b · s_b/s_c + offset where the QDQ model rounds ((a − zp_a) · s_a + (b − zp_b) · s_b) / s_c, so an
// element may land one output step away: tolerance one output step (OutputScale), no relative part.
public sealed class QdqAddLoweringTests
{
    const float OneStep = QdqTestGraphs.OutputScale * 1.001f;

    [Theory]
    [InlineData(ElementType.UInt8)]
    [InlineData(ElementType.Int8)]
    public void Lowers_a_qdq_add_to_QLinearAdd(ElementType type)
    {
        var original = QdqTestGraphs.Add(type: type);

        var (lowered, report) = PassTester.Run(original, new QdqAddLowering());

        Assert.Single(report.Applied);
        Assert.Equal(["QuantizeLinear", "QuantizeLinear", "com.microsoft.QLinearAdd", "DequantizeLinear"], PassTester.OpTypes(lowered));
        Assert.Equal(type, lowered.Graph.Nodes.Single(n => n.OpType == "QLinearAdd").Output(0).ElementType);
        PassTester.AssertSameOutputs(original, lowered, rtol: 0, atol: OneStep);
    }

    [Fact]
    public void Keeps_a_relu_that_clamps_inside_the_int8_range_as_an_integer_clip()
    {
        // Symmetric int8: q(0) = 0, not −128, so the ReLU stays as Clip(0, 127) on the integers.
        var original = QdqTestGraphs.Add("Relu", ElementType.Int8);

        var (lowered, _) = PassTester.Run(original, new QdqAddLowering());

        Assert.Equal(["QuantizeLinear", "QuantizeLinear", "com.microsoft.QLinearAdd", "Clip", "DequantizeLinear"], PassTester.OpTypes(lowered));
        PassTester.AssertSameOutputs(original, lowered, rtol: 0, atol: OneStep);
    }

    [Fact]
    public void Absorbs_a_relu_into_the_uint8_saturation()
    {
        var original = QdqTestGraphs.Add("Relu");

        var (lowered, _) = PassTester.Run(original, new QdqAddLowering());

        Assert.Equal(["QuantizeLinear", "QuantizeLinear", "com.microsoft.QLinearAdd", "DequantizeLinear"], PassTester.OpTypes(lowered));
        PassTester.AssertSameOutputs(original, lowered, rtol: 0, atol: OneStep);
    }

    [Theory]
    [InlineData(new long[] { 1, 4, 1, 1 })]
    [InlineData(new long[] { 9 })]
    [InlineData(new long[] { })]
    public void Lowers_broadcasting_operands(long[] rightDims)
    {
        var original = QdqTestGraphs.Add(rightDims: rightDims);

        var (lowered, _) = PassTester.Run(original, new QdqAddLowering());

        Assert.Contains(lowered.Graph.Nodes, n => n.OpType == "QLinearAdd");
        PassTester.AssertSameOutputs(original, lowered, rtol: 0, atol: OneStep);
    }

    [Fact]
    public void Leaves_an_add_whose_float_output_has_another_reader()
    {
        var original = QdqTestGraphs.Add(extraReader: true);
        Assert.Empty(PassTester.Run(original, new QdqAddLowering()).Report.Applied);
    }

    [Fact]
    public void Leaves_an_operand_quantized_per_channel()
    {
        var original = QdqTestGraphs.Add(perChannelRight: true);
        Assert.Empty(PassTester.Run(original, new QdqAddLowering()).Report.Applied);
    }

    [Theory]
    [InlineData(ElementType.UInt8, ElementType.Int8, ElementType.UInt8)]
    [InlineData(ElementType.Int8, ElementType.Int8, ElementType.UInt8)]
    public void Leaves_mixed_types_which_QLinearAdd_cannot_take(ElementType left, ElementType right, ElementType output)
    {
        var original = QdqTestGraphs.Add(type: left, rightType: right, outputType: output);
        Assert.Empty(PassTester.Run(original, new QdqAddLowering()).Report.Applied);
    }

    [Fact]
    public void Leaves_the_add_when_only_standard_ops_may_be_emitted()
    {
        var original = QdqTestGraphs.Add();
        Assert.Empty(PassTester.Run(original, new OptimizerOptions { StandardOnly = true }, new QdqAddLowering()).Report.Applied);
    }
}
