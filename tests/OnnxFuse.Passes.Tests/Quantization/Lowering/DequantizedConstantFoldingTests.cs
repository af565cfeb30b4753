using OnnxFuse.Ir.Building;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Passes.Quantization.Lowering;

namespace OnnxFuse.Passes.Tests.Quantization.Lowering;

// Oracle: the unfolded model on both targets. The folded values are (q − zp) · s in float32, as DequantizeLinear computes
// them, so outputs agree to float32 rounding of the Gemm (1e-6 relative).
public sealed class DequantizedConstantFoldingTests
{
    /// <summary>x [3, 6] → Gemm(transB) with an int8 weight [5, 6] dequantized per row (axis 0) and an int32 bias dequantized per tensor.</summary>
    static Model QdqGemm(bool weightScaleIsInput = false)
    {
        var b = new GraphBuilder(opset: 13);
        var x = b.Input("x", ElementType.Float, 3, 6);
        var scale = weightScaleIsInput
            ? b.Input("w_scale", ElementType.Float, 5)
            : b.Initializer("w_scale", TensorData.Create<float>([5], [0.01f, 0.02f, 0.03f, 0.04f, 0.05f]));
        var w = b.Node("DequantizeLinear", [b.Initializer("w_q", TensorData.Create<sbyte>([5, 6], [.. Enumerable.Range(0, 30).Select(i => (sbyte)(i * 9 - 120))])),
            scale, b.Initializer("w_zero", TensorData.Create<sbyte>([5], [0, 1, -2, 3, 0]))], Attr.Int("axis", 0));
        var bias = b.Node("DequantizeLinear", [b.Initializer("b_q", TensorData.Create<int>([5], [-300, 0, 5, 700, 12])), b.Initializer("b_scale", TensorData.Scalar(0.001f))]);
        b.Output(b.Node("Gemm", [x, w, bias], Attr.Int("transB", 1)), "y");
        return b.Build();
    }

    [Fact]
    public void Folds_constant_weight_and_bias_dequantization_into_float_initializers()
    {
        var original = QdqGemm();

        var (folded, report) = PassTester.Run(original, new DequantizedConstantFolding());

        Assert.Equal(2, report.Applied.Count);
        Assert.Equal(["Gemm"], PassTester.OpTypes(folded));
        // w[1, 0]: q = 6 · 9 − 120 = −66, zero point 1, scale 0.02.
        Assert.Equal((-66 - 1) * 0.02f, folded.Graph.Nodes[0].Input(1).ConstantData!.AsSpan<float>()[6]);
        PassTester.AssertSameOutputs(original, folded, rtol: 1e-6f, atol: 1e-6f);
    }

    [Fact]
    public void Leaves_a_dequantization_whose_scale_is_an_input()
    {
        var (folded, _) = PassTester.Run(QdqGemm(weightScaleIsInput: true), new DequantizedConstantFolding());
        Assert.Equal(["DequantizeLinear", "Gemm"], PassTester.OpTypes(folded));
    }
}
