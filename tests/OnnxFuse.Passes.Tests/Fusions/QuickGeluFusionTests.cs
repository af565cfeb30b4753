using OnnxFuse.Ir.Building;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Passes.Fusions;
using OnnxFuse.Passes.Rewriting;

namespace OnnxFuse.Passes.Tests.Fusions;

/// <summary>Oracle: the unfused model on the managed engine and on ONNX Runtime; rtol 1e-4, atol 1e-5.</summary>
public sealed class QuickGeluFusionTests
{
    /// <summary>x[2,3,8] → x · Sigmoid(alpha · x) → y.</summary>
    static Model QuickGelu(float alpha = 1.702f, bool swapped = false, bool sigmoidReadTwice = false)
    {
        var b = new GraphBuilder(17);
        var x = b.Input("x", ElementType.Float, 2, 3, 8);
        var sigmoid = b.Node("Sigmoid", [GeluGraphs.Mul(b, x, GeluGraphs.Scalar(b, alpha), swapped)]);
        b.Output(GeluGraphs.Mul(b, x, sigmoid, swapped), "y");
        if (sigmoidReadTwice)
            b.Output(sigmoid, "gate");
        return b.Build();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Fuses_x_times_sigmoid_of_1_702_x_into_QuickGelu(bool swapped)
    {
        var original = QuickGelu(swapped: swapped);

        var (fused, report) = PassTester.Run(original, new QuickGeluFusion());

        Assert.Single(report.Applied);
        var node = Assert.Single(fused.Graph.Nodes);
        Assert.Equal("com.microsoft.QuickGelu", $"{node.Domain}.{node.OpType}");
        Assert.Equal(1.702f, node.GetFloat("alpha", 0f));
        PassTester.AssertSameOutputs(original, fused, seed: 3);
    }

    [Fact]
    public void Does_not_match_when_only_standard_ops_may_be_emitted()
    {
        var (_, report) = PassTester.Run(QuickGelu(), new OptimizerOptions { StandardOnly = true }, new QuickGeluFusion());

        Assert.Empty(report.Applied);
    }

    [Theory]
    [InlineData(1f)]
    [InlineData(0.5f)]
    public void Fuses_swish_with_any_constant_slope(float alpha)
    {
        var original = QuickGelu(alpha: alpha);

        var (fused, _) = PassTester.Run(original, new QuickGeluFusion());

        Assert.Equal(alpha, Assert.Single(fused.Graph.Nodes).GetFloat("alpha", 0f));
        PassTester.AssertSameOutputs(original, fused, seed: 5);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Fuses_silu_written_without_a_scale_into_QuickGelu_with_alpha_1(bool swapped)
    {
        var b = new GraphBuilder(17);
        var x = b.Input("x", ElementType.Float, 2, 3, 8);
        b.Output(GeluGraphs.Mul(b, x, b.Node("Sigmoid", [x]), swapped), "y");
        var original = b.Build();

        var (fused, report) = PassTester.Run(original, new QuickGeluFusion());

        Assert.Equal(2, Assert.Single(report.Applied).Replaced.Count);
        Assert.Equal(1f, Assert.Single(fused.Graph.Nodes).GetFloat("alpha", 0f));
        PassTester.AssertSameOutputs(original, fused, seed: 6);
    }

    [Fact]
    public void Leaves_a_sigmoid_gating_another_value_alone()
    {
        var b = new GraphBuilder(17);
        var x = b.Input("x", ElementType.Float, 2, 3, 8);
        var other = b.Input("other", ElementType.Float, 2, 3, 8);
        b.Output(b.Node("Mul", [other, b.Node("Sigmoid", [x])]), "y");

        var (_, report) = PassTester.Run(b.Build(), new QuickGeluFusion());

        Assert.Empty(report.Applied);
    }

    [Fact]
    public void Leaves_a_slope_that_is_not_constant_alone()
    {
        var b = new GraphBuilder(17);
        var x = b.Input("x", ElementType.Float, 2, 3, 8);
        var slope = b.Input("slope", ElementType.Float);
        b.Output(b.Node("Mul", [x, b.Node("Sigmoid", [b.Node("Mul", [x, slope])])]), "y");

        var (_, report) = PassTester.Run(b.Build(), new QuickGeluFusion());

        Assert.Empty(report.Applied);
    }

    [Fact]
    public void Leaves_the_pattern_alone_when_the_sigmoid_has_a_second_reader()
    {
        var (_, report) = PassTester.Run(QuickGelu(sigmoidReadTwice: true), new QuickGeluFusion());

        Assert.Empty(report.Applied);
    }
}
