using OnnxFuse.Ir.Graphs;

namespace OnnxFuse.Ir.Tests.Inference;

public sealed class ReshapeRuleTests
{
    [Fact]
    public void Zero_copies_the_input_dim_and_minus_one_takes_the_rest()
    {
        var g = new InferenceGraph();
        var y = g.Node("Reshape", [g.Input("x", 2, 3, 4, 5), g.Ints("shape", 0, -1, 10)]);

        g.Infer();

        Assert.Equal("[2,6,10]", y.Shape!.ToString());
    }

    [Fact]
    public void Allowzero_keeps_a_literal_zero()
    {
        var g = new InferenceGraph(opset: 14);
        var y = g.Node("Reshape", [g.Input("x", 0, 3), g.Ints("shape", 3, 0)], Attr.Int("allowzero", 1));

        g.Infer();

        Assert.Equal("[3,0]", y.Shape!.ToString());
    }

    [Fact]
    public void Minus_one_with_a_symbolic_batch_cancels_the_batch()
    {
        var g = new InferenceGraph();
        var y = g.Node("Reshape", [g.Input("x", "batch", 128, 256), g.Ints("shape", 0, 0, 4, -1)]);

        g.Infer();

        Assert.Equal("[batch,128,4,64]", y.Shape!.ToString());
    }

    [Fact]
    public void Non_constant_target_gives_rank_only_with_a_reason()
    {
        var g = new InferenceGraph();
        var y = g.Node("Reshape", [g.Input("x", 6), g.Input("s", Tensors.ElementType.Int64, 2)]);

        var report = g.Infer();

        Assert.Equal("[?,?]", y.Shape!.ToString());
        Assert.Contains("not constant", Assert.Single(report.Unresolved).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Opset_1_to_4_reads_the_shape_attribute()
    {
        var g = new InferenceGraph(opset: 4);
        var y = g.Node("Reshape", [g.Input("x", 2, 6)], Attr.Ints("shape", [3, -1]));

        g.Infer();

        Assert.Equal("[3,4]", y.Shape!.ToString());
    }

    [Theory]
    [InlineData(1, "[2,60]")]
    [InlineData(0, "[1,120]")]
    [InlineData(-1, "[24,5]")]
    public void Flatten_splits_at_axis(long axis, string expected)
    {
        var g = new InferenceGraph();
        var y = g.Node("Flatten", [g.Input("x", 2, 3, 4, 5)], Attr.Int("axis", axis));

        g.Infer();

        Assert.Equal(expected, y.Shape!.ToString());
    }
}
