using OnnxFuse.Engine.Tests.TestGraphs;
using OnnxFuse.Ir.Graphs;

namespace OnnxFuse.Engine.Tests.Kernels;

public sealed class SliceKernelTests
{
    static readonly float[] s_grid = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];

    [Fact]
    public void Opset_10_reads_starts_ends_axes_and_steps_from_inputs_with_negative_steps()
    {
        var x = NodeRunner.Floats([3, 4], s_grid);

        var result = NodeRunner.Single("Slice", [x, NodeRunner.Longs([2], -1, 3), NodeRunner.Longs([2], -100, 0),
            NodeRunner.Longs([2], 0, 1), NodeRunner.Longs([2], -2, -2)]);

        // Oracle: numpy x[-1:-100:-2, 3:0:-2] by hand.
        Assert.Equal([2L, 2], result.Dims);
        Assert.Equal([11f, 9f, 3f, 1f], result.ToArray<float>());
    }

    [Fact]
    public void Opset_9_reads_starts_ends_and_axes_from_attributes_and_clamps_ends()
    {
        var x = NodeRunner.Floats([3, 4], s_grid);

        var result = NodeRunner.Single("Slice", [x], [Attr.Ints("starts", [1]), Attr.Ints("ends", [long.MaxValue]), Attr.Ints("axes", [1])], opset: 9);

        Assert.Equal([3L, 3], result.Dims);
        Assert.Equal([1f, 2f, 3f, 5f, 6f, 7f, 9f, 10f, 11f], result.ToArray<float>());
    }

    [Fact]
    public void Split_takes_sizes_from_the_attribute_before_opset_13_and_from_the_input_after()
    {
        var x = NodeRunner.Floats([6], 1, 2, 3, 4, 5, 6);

        var old = NodeRunner.Run("Split", [x], [Attr.Ints("split", [2, 4])], outputCount: 2, opset: 11);
        var current = NodeRunner.Run("Split", [x, NodeRunner.Longs([2], 5, 1)], outputCount: 2, opset: 13);
        var equal = NodeRunner.Run("Split", [x], outputCount: 3, opset: 13);

        Assert.Equal([3f, 4f, 5f, 6f], old[1].ToArray<float>());
        Assert.Equal([6f], current[1].ToArray<float>());
        Assert.Equal([3f, 4f], equal[1].ToArray<float>());
    }
}
