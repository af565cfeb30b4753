using OnnxFuse.Passes.Quantization.Lowering;

namespace OnnxFuse.Passes.Tests.Quantization.Lowering;

// Oracle: the QDQ model run as written on both targets; tolerance one output step (see QdqConvLoweringTests).
public sealed class QdqMatMulLoweringTests
{
    const float OneStep = QdqTestGraphs.OutputScale * 1.001f;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Lowers_a_qdq_matmul_to_QLinearMatMul(bool perColumn)
    {
        var original = QdqTestGraphs.MatMul(perColumn: perColumn);

        var (lowered, report) = PassTester.Run(original, new QdqMatMulLowering());

        Assert.Single(report.Applied);
        Assert.Equal(["QuantizeLinear", "QLinearMatMul", "DequantizeLinear"], PassTester.OpTypes(lowered));
        PassTester.AssertSameOutputs(original, lowered, rtol: 0, atol: OneStep);
    }

    [Fact]
    public void Keeps_relu_as_an_integer_clip()
    {
        var original = QdqTestGraphs.MatMul("Relu");

        var (lowered, _) = PassTester.Run(original, new QdqMatMulLowering());

        Assert.Equal(["QuantizeLinear", "QLinearMatMul", "Clip", "DequantizeLinear"], PassTester.OpTypes(lowered));
        PassTester.AssertSameOutputs(original, lowered, rtol: 0, atol: OneStep);
    }

    [Fact]
    public void Leaves_weights_quantized_per_row()
    {
        var original = QdqTestGraphs.MatMul(weightAxis: 0);
        Assert.Empty(PassTester.Run(original, new QdqMatMulLowering()).Report.Applied);
    }
}
