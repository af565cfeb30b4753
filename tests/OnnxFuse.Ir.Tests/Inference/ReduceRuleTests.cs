using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Ir.Tests.Inference;

public sealed class ReduceRuleTests
{
    [Fact]
    public void ReduceMean_reads_the_axes_attribute_before_opset_18()
    {
        var g = new InferenceGraph(opset: 13);
        var y = g.Node("ReduceMean", [g.Input("x", 1, 128, 256)], Attr.Ints("axes", [-1]));

        g.Infer();

        Assert.Equal("[1,128,1]", y.Shape!.ToString());
    }

    [Fact]
    public void ReduceMean_reads_axes_from_input_1_from_opset_18()
    {
        var g = new InferenceGraph(opset: 18);
        var y = g.Node("ReduceMean", [g.Input("x", 2, 3, 4), g.Ints("axes", 0, 2)], Attr.Int("keepdims", 0));

        g.Infer();

        Assert.Equal("[3]", y.Shape!.ToString());
    }

    [Fact]
    public void ReduceSum_moved_axes_to_an_input_in_opset_13()
    {
        var g = new InferenceGraph(opset: 13);
        var all = g.Node("ReduceSum", [g.Input("x", 2, 3)], Attr.Int("keepdims", 0));
        var noop = g.Node("ReduceSum", [g.Input("z", 2, 3), g.Ints("empty")], Attr.Int("noop_with_empty_axes", 1));

        g.Infer();

        Assert.Equal("[]", all.Shape!.ToString());
        Assert.Equal("[2,3]", noop.Shape!.ToString());
    }

    [Fact]
    public void ArgMax_gives_int64_indices()
    {
        var g = new InferenceGraph();
        var y = g.Node("ArgMax", [g.Input("x", 4, 5)], Attr.Int("axis", 1), Attr.Int("keepdims", 0));

        g.Infer();

        Assert.Equal(ElementType.Int64, y.ElementType);
        Assert.Equal("[4]", y.Shape!.ToString());
    }
}
