using OnnxFuse.Passes.Quantization.Lowering;
using OnnxFuse.Passes.Rewriting;

namespace OnnxFuse.Passes.Tests.Quantization.Lowering;

// Oracle: the QDQ model run as written on both targets; tolerance one output step (see QdqConvLoweringTests: QGemm requantizes
// (acc + b) · s_x·s_w/s_y in one float32 product where the QDQ model rounds the float Gemm's output).
public sealed class QdqGemmLoweringTests
{
    const float OneStep = QdqTestGraphs.OutputScale * 1.001f;

    [Theory]
    [InlineData(true, BiasForm.Int32InAccumulatorScale)]
    [InlineData(false, BiasForm.Int32InAccumulatorScale)]
    [InlineData(true, BiasForm.Float)]
    public void Lowers_a_qdq_gemm_with_a_bias_to_QGemm(bool perColumn, BiasForm bias)
    {
        var original = QdqTestGraphs.Gemm(perColumn: perColumn, bias: bias);

        var (lowered, report) = PassTester.Run(original, new QdqGemmLowering());

        Assert.Single(report.Applied);
        Assert.Equal(["QuantizeLinear", "com.microsoft.QGemm", "DequantizeLinear"], PassTester.OpTypes(lowered));
        Assert.Equal(1, lowered.Graph.Nodes.Single(n => n.OpType == "QGemm").GetInt("transB", 0));
        PassTester.AssertSameOutputs(original, lowered, rtol: 0, atol: OneStep);
    }

    [Fact]
    public void Keeps_relu_as_an_integer_clip()
    {
        var original = QdqTestGraphs.Gemm("Relu");

        var (lowered, _) = PassTester.Run(original, new QdqGemmLowering());

        Assert.Equal(["QuantizeLinear", "com.microsoft.QGemm", "Clip", "DequantizeLinear"], PassTester.OpTypes(lowered));
        PassTester.AssertSameOutputs(original, lowered, rtol: 0, atol: OneStep);
    }

    [Fact]
    public void Leaves_weights_quantized_along_the_input_axis()
    {
        var original = QdqTestGraphs.Gemm(weightAxis: 1);
        Assert.Empty(PassTester.Run(original, new QdqGemmLowering()).Report.Applied);
    }

    [Fact]
    public void Leaves_a_transposed_input_and_a_scaled_product()
    {
        Assert.Empty(PassTester.Run(QdqTestGraphs.Gemm(transA: 1), new QdqGemmLowering()).Report.Applied);
        Assert.Empty(PassTester.Run(QdqTestGraphs.Gemm(alpha: 0.5f), new QdqGemmLowering()).Report.Applied);
    }

    [Fact]
    public void Leaves_the_gemm_when_only_standard_ops_may_be_emitted()
    {
        var original = QdqTestGraphs.Gemm();
        Assert.Empty(PassTester.Run(original, new OptimizerOptions { StandardOnly = true }, new QdqGemmLowering()).Report.Applied);
    }
}
