using OnnxFuse.Engine.Tests.TestGraphs;
using OnnxFuse.Ir.Graphs;

namespace OnnxFuse.Engine.Tests.Kernels;

public sealed class ReshapeKernelTests
{
    [Fact]
    public void Zero_copies_the_input_dimension_and_minus_one_is_inferred()
    {
        var x = NodeRunner.Random([2, 3, 4], seed: 1);

        var result = NodeRunner.Single("Reshape", [x, NodeRunner.Longs([3], 0, -1, 2)]);

        Assert.Equal([2L, 6, 2], result.Dims);
        Assert.Equal(x.ToArray<float>(), result.ToArray<float>());
    }

    [Fact]
    public void With_allowzero_a_zero_is_a_real_zero_dimension()
    {
        var x = NodeRunner.Floats([0, 3]);

        var result = NodeRunner.Single("Reshape", [x, NodeRunner.Longs([2], 3, 0)], [Attr.Int("allowzero", 1)]);

        Assert.Equal([3L, 0], result.Dims);
    }

    [Fact]
    public void Squeeze_and_unsqueeze_take_axes_as_attribute_before_opset_13_and_as_input_after()
    {
        var x = NodeRunner.Random([1, 3, 1], seed: 2);

        var old = NodeRunner.Single("Squeeze", [x], [Attr.Ints("axes", [0])], opset: 11);
        var current = NodeRunner.Single("Squeeze", [x, NodeRunner.Longs([1], -1)], opset: 13);
        var all = NodeRunner.Single("Squeeze", [x], opset: 13);
        var unsqueezed = NodeRunner.Single("Unsqueeze", [x, NodeRunner.Longs([2], 0, -1)], opset: 13);
        var unsqueezedOld = NodeRunner.Single("Unsqueeze", [x], [Attr.Ints("axes", [1])], opset: 11);

        Assert.Equal([3L, 1], old.Dims);
        Assert.Equal([1L, 3], current.Dims);
        Assert.Equal([3L], all.Dims);
        Assert.Equal([1L, 1, 3, 1, 1], unsqueezed.Dims);
        Assert.Equal([1L, 1, 3, 1], unsqueezedOld.Dims);
    }

    [Fact]
    public void Flatten_joins_dimensions_before_and_after_the_axis()
    {
        var result = NodeRunner.Single("Flatten", [NodeRunner.Random([2, 3, 4, 5], seed: 3)], [Attr.Int("axis", 2)]);
        Assert.Equal([6L, 20], result.Dims);
    }
}
