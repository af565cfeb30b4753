using OnnxFuse.Ir.Graphs;

namespace OnnxFuse.Ir.Tests.Inference;

public sealed class SliceRuleTests
{
    [Theory]
    [InlineData(1, 3, 1, "[2,10]")]
    [InlineData(-3, -1, 1, "[2,10]")]
    [InlineData(2, 1000, 1, "[8,10]")]
    [InlineData(-1000, 5, 2, "[3,10]")]
    [InlineData(-1, -1000, -1, "[10,10]")]
    [InlineData(8, 2, -3, "[2,10]")]
    [InlineData(5, 2, 1, "[0,10]")]
    public void Starts_and_ends_are_normalized_and_clamped(long start, long end, long step, string expected)
    {
        var g = new InferenceGraph();
        var y = g.Node("Slice", [g.Input("x", 10, 10), g.Ints("starts", start), g.Ints("ends", end), g.Ints("axes", 0), g.Ints("steps", step)]);

        g.Infer();

        Assert.Equal(expected, y.Shape!.ToString());
    }

    [Fact]
    public void Without_axes_the_first_axes_are_sliced()
    {
        var g = new InferenceGraph();
        var y = g.Node("Slice", [g.Input("x", 5, 6, 7), g.Ints("starts", 1, 2), g.Ints("ends", 3, -1)]);

        g.Infer();

        Assert.Equal("[2,3,7]", y.Shape!.ToString());
    }

    [Fact]
    public void Opset_9_reads_attributes()
    {
        var g = new InferenceGraph(opset: 9);
        var y = g.Node("Slice", [g.Input("x", 20, 10, 5)],
            Attr.Ints("starts", [0, 0]), Attr.Ints("ends", [3, 10]), Attr.Ints("axes", [0, 1]));

        g.Infer();

        Assert.Equal("[3,10,5]", y.Shape!.ToString());
    }

    [Fact]
    public void A_symbolic_dim_survives_a_full_slice_of_it()
    {
        var g = new InferenceGraph();
        var y = g.Node("Slice", [g.Input("x", "batch", 10), g.Ints("starts", 0, 2), g.Ints("ends", long.MaxValue, 4)]);

        g.Infer();

        Assert.Equal("[batch,2]", y.Shape!.ToString());
    }
}
