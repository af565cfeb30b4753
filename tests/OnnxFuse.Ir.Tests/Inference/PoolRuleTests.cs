using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Ir.Tests.Inference;

public sealed class PoolRuleTests
{
    [Theory]
    [InlineData(0, "[1,1,2,2]")]
    [InlineData(1, "[1,1,3,3]")]
    public void MaxPool_rounds_down_or_up_with_ceil_mode(long ceilMode, string expected)
    {
        var g = new InferenceGraph();
        var node = g.NodeWithOutputs("MaxPool", [g.Input("x", 1, 1, 6, 6)], 2,
            Attr.Ints("kernel_shape", [3, 3]), Attr.Ints("strides", [2, 2]), Attr.Int("ceil_mode", ceilMode));

        g.Infer();

        Assert.Equal(expected, node.Output(0).Shape!.ToString());
        Assert.Equal(ElementType.Int64, node.Output(1).ElementType);
    }

    [Fact]
    public void Ceil_mode_drops_a_last_window_that_would_start_in_the_padding()
    {
        var g = new InferenceGraph();
        var y = g.Node("AveragePool", [g.Input("x", 1, 1, 2, 2)],
            Attr.Ints("kernel_shape", [1, 1]), Attr.Ints("strides", [2, 2]), Attr.Ints("pads", [1, 1, 1, 1]), Attr.Int("ceil_mode", 1));

        g.Infer();

        Assert.Equal("[1,1,2,2]", y.Shape!.ToString());
    }

    [Fact]
    public void Pool_dilations_and_same_padding()
    {
        var g = new InferenceGraph();
        var dilated = g.Node("MaxPool", [g.Input("x", 1, 3, 10)], Attr.Ints("kernel_shape", [3]), Attr.Ints("dilations", [2]));
        var same = g.Node("AveragePool", [g.Input("z", 1, 3, 10)], Attr.Ints("kernel_shape", [3]), Attr.Ints("strides", [3]), Attr.String("auto_pad", "SAME_UPPER"));

        g.Infer();

        Assert.Equal("[1,3,6]", dilated.Shape!.ToString());
        Assert.Equal("[1,3,4]", same.Shape!.ToString());
    }

    [Fact]
    public void Global_pools_keep_batch_and_channels()
    {
        var g = new InferenceGraph();
        var y = g.Node("GlobalAveragePool", [g.Input("x", "n", 1280, 7, 7)]);

        g.Infer();

        Assert.Equal("[n,1280,1,1]", y.Shape!.ToString());
    }
}
