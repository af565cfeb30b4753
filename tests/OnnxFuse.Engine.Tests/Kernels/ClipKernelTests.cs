using OnnxFuse.Engine.Tests.TestGraphs;
using OnnxFuse.Ir.Graphs;

namespace OnnxFuse.Engine.Tests.Kernels;

public sealed class ClipKernelTests
{
    [Fact]
    public void Opset_6_takes_bounds_from_attributes()
    {
        var result = NodeRunner.Single("Clip", [NodeRunner.Floats([4], -5, 0, 3, 9)], [Attr.Float("min", -1), Attr.Float("max", 6)], opset: 6);
        Assert.Equal([-1f, 0f, 3f, 6f], result.ToArray<float>());
    }

    [Fact]
    public void Opset_13_takes_optional_bounds_from_inputs()
    {
        var x = NodeRunner.Floats([4], -5, 0, 3, 9);

        var both = NodeRunner.Single("Clip", [x, NodeRunner.Floats([], 0), NodeRunner.Floats([], 6)], opset: 13);
        var maxOnly = NodeRunner.Single("Clip", [x, null, NodeRunner.Floats([], 6)], opset: 13);

        Assert.Equal([0f, 0f, 3f, 6f], both.ToArray<float>());
        Assert.Equal([-5f, 0f, 3f, 6f], maxOnly.ToArray<float>());
    }
}
