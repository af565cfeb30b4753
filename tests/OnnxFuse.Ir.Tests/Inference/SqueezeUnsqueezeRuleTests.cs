using OnnxFuse.Ir.Graphs;

namespace OnnxFuse.Ir.Tests.Inference;

public sealed class SqueezeUnsqueezeRuleTests
{
    [Fact]
    public void Opset_11_reads_axes_from_the_attribute()
    {
        var g = new InferenceGraph(opset: 11);
        var x = g.Input("x", 3, 1, 4, 1);
        var squeezed = g.Node("Squeeze", [x], Attr.Ints("axes", [1, -1]));
        var unsqueezed = g.Node("Unsqueeze", [squeezed], Attr.Ints("axes", [0, 3]));

        g.Infer();

        Assert.Equal("[3,4]", squeezed.Shape!.ToString());
        Assert.Equal("[1,3,4,1]", unsqueezed.Shape!.ToString());
    }

    [Fact]
    public void Opset_13_reads_axes_from_input_1()
    {
        var g = new InferenceGraph(opset: 13);
        var x = g.Input("x", 3, 1, 4, 1);
        var squeezed = g.Node("Squeeze", [x, g.Ints("axes", 1)]);
        var unsqueezed = g.Node("Unsqueeze", [squeezed, g.Ints("uaxes", -1)]);

        g.Infer();

        Assert.Equal("[3,4,1]", squeezed.Shape!.ToString());
        Assert.Equal("[3,4,1,1]", unsqueezed.Shape!.ToString());
    }

    [Fact]
    public void Squeeze_without_axes_drops_every_one()
    {
        var g = new InferenceGraph();
        var y = g.Node("Squeeze", [g.Input("x", 1, 3, 1, 2)]);

        g.Infer();

        Assert.Equal("[3,2]", y.Shape!.ToString());
    }
}
