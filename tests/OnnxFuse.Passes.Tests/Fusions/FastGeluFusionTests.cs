using OnnxFuse.Ir.Building;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Passes.Fusions;
using OnnxFuse.Passes.Rewriting;

namespace OnnxFuse.Passes.Tests.Fusions;

/// <summary>Oracle: the unfused model on the managed engine and on ONNX Runtime; rtol 1e-4, atol 1e-5.</summary>
public sealed class FastGeluFusionTests
{
    /// <summary>x[2,3,8] → 0.5 · x · (1 + tanh(√(2/π) · (x + 0.044715 · x³))) → y.</summary>
    static Model TanhGelu(long opset, bool cubeWithPow = true, HalfProduct product = HalfProduct.HalfFirst, bool swapped = false,
        float coefficient = 0.044715f, bool tanhReadTwice = false)
    {
        var b = new GraphBuilder(opset);
        var x = b.Input("x", ElementType.Float, 2, 3, 8);
        var cube = cubeWithPow ? b.Node("Pow", [x, GeluGraphs.Scalar(b, 3f)]) : GeluGraphs.Mul(b, GeluGraphs.Mul(b, x, x, false), x, swapped);
        var cubic = GeluGraphs.Mul(b, cube, GeluGraphs.Scalar(b, coefficient), swapped);
        var inner = b.Node("Add", swapped ? [cubic, x] : [x, cubic]);
        var tanh = b.Node("Tanh", [GeluGraphs.Mul(b, inner, GeluGraphs.Scalar(b, 0.7978845608f), swapped)]);
        b.Output(GeluGraphs.HalfTimesOnePlus(b, x, tanh, product, swapped), "y");
        if (tanhReadTwice)
            b.Output(tanh, "tanh");
        return b.Build();
    }

    static IReadOnlyList<string> Operators(Model model) => [.. PassTester.OpTypes(model).Where(op => op != "Constant")];

    [Theory]
    [InlineData(true, HalfProduct.HalfFirst, false)]
    [InlineData(false, HalfProduct.HalfFirst, true)]
    [InlineData(true, HalfProduct.InputFirst, true)]
    [InlineData(false, HalfProduct.OnePlusFirst, false)]
    public void Fuses_every_form_into_com_microsoft_FastGelu_below_opset_20(bool cubeWithPow, HalfProduct product, bool swapped)
    {
        var original = TanhGelu(13, cubeWithPow, product, swapped);

        var (fused, report) = PassTester.Run(original, new FastGeluFusion());

        Assert.Single(report.Applied);
        Assert.Equal(["com.microsoft.FastGelu"], Operators(fused));
        Assert.Single(fused.Graph.Nodes.Single(n => n.OpType == "FastGelu").Inputs);
        PassTester.AssertSameOutputs(original, fused, seed: 3);
    }

    [Fact]
    public void Emits_the_standard_tanh_Gelu_from_opset_20()
    {
        var original = TanhGelu(20);

        var (fused, report) = PassTester.Run(original, new OptimizerOptions { StandardOnly = true }, new FastGeluFusion());

        Assert.Single(report.Applied);
        Assert.Equal(["Gelu"], Operators(fused));
        Assert.Equal("tanh", fused.Graph.Nodes.Single(n => n.OpType == "Gelu").GetString("approximate", "none"));
        PassTester.AssertSameOutputs(original, fused, seed: 4);
    }

    [Fact]
    public void Does_not_match_below_opset_20_when_only_standard_ops_may_be_emitted()
    {
        var (_, report) = PassTester.Run(TanhGelu(13), new OptimizerOptions { StandardOnly = true }, new FastGeluFusion());

        Assert.Empty(report.Applied);
    }

    [Fact]
    public void Leaves_another_cubic_coefficient_alone()
    {
        var (_, report) = PassTester.Run(TanhGelu(13, coefficient: 0.05f), new FastGeluFusion());

        Assert.Empty(report.Applied);
    }

    [Fact]
    public void Leaves_the_pattern_alone_when_the_tanh_has_a_second_reader()
    {
        var (_, report) = PassTester.Run(TanhGelu(13, tanhReadTwice: true), new FastGeluFusion());

        Assert.Empty(report.Applied);
    }

    [Fact]
    public void Leaves_a_cube_of_another_value_alone()
    {
        var original = TanhGelu(13);
        var pow = original.Graph.Nodes.Single(n => n.OpType == "Pow");
        pow.SetInput(0, original.Graph.AddInput("other", original.Graph.Inputs[0].Type));

        var (_, report) = PassTester.Run(original, new FastGeluFusion());

        Assert.Empty(report.Applied);
    }
}
