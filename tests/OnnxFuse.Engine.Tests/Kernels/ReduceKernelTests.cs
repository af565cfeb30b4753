using OnnxFuse.Engine.Tests.TestGraphs;
using OnnxFuse.Ir.Graphs;

namespace OnnxFuse.Engine.Tests.Kernels;

public sealed class ReduceKernelTests
{
    static readonly float[] s_values = [1, 2, 3, 4, 5, 6];

    [Fact]
    public void ReduceMean_over_an_attribute_axis_keeps_dims_by_default()
    {
        var result = NodeRunner.Single("ReduceMean", [NodeRunner.Floats([2, 3], s_values)], [Attr.Ints("axes", [1])], opset: 13);
        Assert.Equal([2L, 1], result.Dims);
        Assert.Equal([2f, 5f], result.ToArray<float>());
    }

    [Fact]
    public void ReduceSum_13_takes_axes_as_input_and_reduces_a_leading_axis()
    {
        var result = NodeRunner.Single("ReduceSum", [NodeRunner.Floats([2, 3], s_values), NodeRunner.Longs([1], 0)], [Attr.Int("keepdims", 0)], opset: 13);
        Assert.Equal([3L], result.Dims);
        Assert.Equal([5f, 7f, 9f], result.ToArray<float>());
    }

    [Fact]
    public void Empty_axes_reduce_everything_unless_noop_with_empty_axes()
    {
        var x = NodeRunner.Floats([2, 3], s_values);

        var all = NodeRunner.Single("ReduceMax", [x], [Attr.Int("keepdims", 0)], opset: 18);
        var noop = NodeRunner.Single("ReduceMax", [x], [Attr.Int("noop_with_empty_axes", 1)], opset: 18);

        Assert.Equal([6f], all.ToArray<float>());
        Assert.Equal(s_values, noop.ToArray<float>());
    }

    [Fact]
    public void ReduceL2_and_ReduceProd_over_non_adjacent_axes()
    {
        var x = NodeRunner.Floats([2, 1, 3], s_values);

        var l2 = NodeRunner.Single("ReduceL2", [x, NodeRunner.Longs([2], 0, 2)], [Attr.Int("keepdims", 0)], opset: 18);
        var prod = NodeRunner.Single("ReduceProd", [x, NodeRunner.Longs([2], 0, 2)], [Attr.Int("keepdims", 0)], opset: 18);

        Assert.Equal(MathF.Sqrt(91f), l2.ToArray<float>()[0], 5);
        Assert.Equal([720f], prod.ToArray<float>());
    }

    [Fact]
    public void ArgMax_picks_the_first_maximum_unless_select_last_index()
    {
        var x = NodeRunner.Floats([2, 3], 1, 9, 9, 4, 4, 2);

        var first = NodeRunner.Single("ArgMax", [x], [Attr.Int("axis", 1), Attr.Int("keepdims", 0)]);
        var last = NodeRunner.Single("ArgMax", [x], [Attr.Int("axis", 1), Attr.Int("keepdims", 0), Attr.Int("select_last_index", 1)]);

        Assert.Equal([1L, 0], first.ToArray<long>());
        Assert.Equal([2L, 1], last.ToArray<long>());
    }
}
