using OnnxFuse.Engine.Tests.TestGraphs;
using OnnxFuse.Ir.Graphs;

namespace OnnxFuse.Engine.Tests.Kernels;

public sealed class PoolKernelTests
{
    static readonly float[] s_grid = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];

    [Fact]
    public void MaxPool_2x2_stride_2_takes_each_quadrants_maximum()
    {
        var result = NodeRunner.Single("MaxPool", [NodeRunner.Floats([1, 1, 4, 4], s_grid)],
            [Attr.Ints("kernel_shape", [2, 2]), Attr.Ints("strides", [2, 2])]);

        Assert.Equal([1L, 1, 2, 2], result.Dims);
        Assert.Equal([6f, 8f, 14f, 16f], result.ToArray<float>());
    }

    [Fact]
    public void AveragePool_excludes_padding_from_the_divisor_unless_count_include_pad()
    {
        var x = NodeRunner.Floats([1, 1, 2, 2], 1, 2, 3, 4);
        Attr[] common = [Attr.Ints("kernel_shape", [2, 2]), Attr.Ints("pads", [1, 1, 0, 0])];

        var excluded = NodeRunner.Single("AveragePool", [x], common);
        var included = NodeRunner.Single("AveragePool", [x], [.. common, Attr.Int("count_include_pad", 1)]);

        // Oracle: hand-computed window sums: top-left window holds only 1, padded 3 times.
        Assert.Equal([1f, 1.5f, 2f, 2.5f], excluded.ToArray<float>());
        Assert.Equal([0.25f, 0.75f, 1f, 2.5f], included.ToArray<float>());
    }

    [Fact]
    public void MaxPool_with_valid_padding_refuses_a_window_wider_than_the_input()
    {
        // ONNX: ⌈(2 − 3 + 1) / 2⌉ = 0 output columns; truncating division used to give one window reading past the input.
        var x = NodeRunner.Floats([1, 1, 2], 1, 2);

        var error = Assert.ThrowsAny<OnnxFuse.Ir.Errors.OnnxFuseException>(() => NodeRunner.Single("MaxPool", [x],
            [Attr.Ints("kernel_shape", [3]), Attr.Ints("strides", [2]), Attr.String("auto_pad", "VALID")]));

        Assert.Contains("window of 3 does not fit input 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MaxPool_ceil_mode_adds_a_partial_last_window()
    {
        var x = NodeRunner.Floats([1, 1, 5], 1, 5, 2, 4, 3);

        var floor = NodeRunner.Single("MaxPool", [x], [Attr.Ints("kernel_shape", [2]), Attr.Ints("strides", [2])]);
        var ceil = NodeRunner.Single("MaxPool", [x], [Attr.Ints("kernel_shape", [2]), Attr.Ints("strides", [2]), Attr.Int("ceil_mode", 1)]);

        Assert.Equal([5f, 4f], floor.ToArray<float>());
        Assert.Equal([5f, 4f, 3f], ceil.ToArray<float>());
    }

    [Fact]
    public void GlobalAveragePool_averages_each_channel_plane()
    {
        var result = NodeRunner.Single("GlobalAveragePool", [NodeRunner.Floats([1, 2, 2, 2], 1, 2, 3, 4, 10, 20, 30, 40)]);
        Assert.Equal([1L, 2, 1, 1], result.Dims);
        Assert.Equal([2.5f, 25f], result.ToArray<float>());
    }
}
