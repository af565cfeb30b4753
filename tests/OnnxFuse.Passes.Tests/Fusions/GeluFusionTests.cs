using OnnxFuse.Ir.Building;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Passes.Fusions;
using OnnxFuse.Passes.Rewriting;

namespace OnnxFuse.Passes.Tests.Fusions;

/// <summary>Oracle: the unfused model on the managed engine and on ONNX Runtime; rtol 1e-4, atol 1e-5.</summary>
public sealed class GeluFusionTests
{
    /// <summary>x[2,3,8] → erf GELU → y.</summary>
    static Model ErfGelu(long opset, bool divide = true, HalfProduct product = HalfProduct.InputFirst, bool swapped = false, float sqrtTwo = 1.4142135f)
    {
        var b = new GraphBuilder(opset);
        var x = b.Input("x", ElementType.Float, 2, 3, 8);
        b.Output(GeluGraphs.ErfGelu(b, x, divide, product, swapped, sqrtTwo), "y");
        return b.Build();
    }

    static IReadOnlyList<string> Operators(Model model) => [.. PassTester.OpTypes(model).Where(op => op != "Constant")];

    [Theory]
    [InlineData(true, HalfProduct.InputFirst, false)]
    [InlineData(true, HalfProduct.HalfFirst, true)]
    [InlineData(false, HalfProduct.OnePlusFirst, false)]
    [InlineData(false, HalfProduct.InputFirst, true)]
    [InlineData(true, HalfProduct.OnePlusFirst, true)]
    [InlineData(false, HalfProduct.HalfFirst, false)]
    public void Fuses_every_form_into_com_microsoft_Gelu_below_opset_20(bool divide, HalfProduct product, bool swapped)
    {
        var original = ErfGelu(13, divide, product, swapped);

        var (fused, report) = PassTester.Run(original, new GeluFusion());

        Assert.Single(report.Applied);
        Assert.Equal(["com.microsoft.Gelu"], Operators(fused));
        Assert.Equal("y", fused.Graph.Outputs[0].Name);
        PassTester.AssertSameOutputs(original, fused, seed: 3);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Emits_the_standard_Gelu_from_opset_20_even_when_only_standard_ops_may_be_emitted(bool standardOnly)
    {
        var original = ErfGelu(20, product: HalfProduct.HalfFirst);

        var (fused, report) = PassTester.Run(original, new OptimizerOptions { StandardOnly = standardOnly }, new GeluFusion());

        Assert.Single(report.Applied);
        Assert.Equal(["Gelu"], Operators(fused));
        Assert.Equal("none", fused.Graph.Nodes.Single(n => n.OpType == "Gelu").GetString("approximate", "none"));
        PassTester.AssertSameOutputs(original, fused, seed: 4);
    }

    [Fact]
    public void Does_not_match_below_opset_20_when_only_standard_ops_may_be_emitted()
    {
        var original = ErfGelu(13);

        var (_, report) = PassTester.Run(original, new OptimizerOptions { StandardOnly = true }, new GeluFusion());

        Assert.Empty(report.Applied);
    }

    [Fact]
    public void Leaves_a_divisor_other_than_the_square_root_of_two_alone()
    {
        var original = ErfGelu(13, sqrtTwo: 1.5f);

        var (_, report) = PassTester.Run(original, new GeluFusion());

        Assert.Empty(report.Applied);
    }

    [Fact]
    public void Leaves_a_factor_other_than_one_half_alone()
    {
        var b = new GraphBuilder(13);
        var x = b.Input("x", ElementType.Float, 2, 3, 8);
        var erf = b.Node("Erf", [b.Node("Div", [x, GeluGraphs.Scalar(b, 1.4142135f)])]);
        b.Output(GeluGraphs.HalfTimesOnePlus(b, x, erf, HalfProduct.InputFirst, swapped: false, half: 0.49f), "y");

        var (_, report) = PassTester.Run(b.Build(), new GeluFusion());

        Assert.Empty(report.Applied);
    }

    [Fact]
    public void Leaves_the_pattern_alone_when_the_erf_has_a_second_reader()
    {
        var original = ErfGelu(13);
        original.Graph.Outputs.Add(original.Graph.Nodes.Single(n => n.OpType == "Erf").Output(0));

        var (_, report) = PassTester.Run(original, new GeluFusion());

        Assert.Empty(report.Applied);
    }

    [Fact]
    public void Leaves_a_product_with_another_input_alone()
    {
        var b = new GraphBuilder(13);
        var x = b.Input("x", ElementType.Float, 2, 3, 8);
        var other = b.Input("other", ElementType.Float, 2, 3, 8);
        var erf = b.Node("Erf", [b.Node("Div", [x, GeluGraphs.Scalar(b, 1.4142135f)])]);
        b.Output(GeluGraphs.HalfTimesOnePlus(b, other, erf, HalfProduct.InputFirst, swapped: false), "y");

        var (_, report) = PassTester.Run(b.Build(), new GeluFusion());

        Assert.Empty(report.Applied);
    }
}
