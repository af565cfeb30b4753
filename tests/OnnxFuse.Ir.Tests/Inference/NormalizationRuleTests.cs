using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Ir.Tests.Inference;

public sealed class NormalizationRuleTests
{
    [Fact]
    public void LayerNormalization_statistics_keep_the_dims_before_axis()
    {
        var g = new InferenceGraph(opset: 17);
        var node = g.NodeWithOutputs("LayerNormalization", [g.Input("x", 1, 128, 256), g.Weight("scale", 256), g.Weight("bias", 256)], 3);

        g.Infer();

        Assert.Equal("[1,128,256]", node.Output(0).Shape!.ToString());
        Assert.Equal("[1,128,1]", node.Output(1).Shape!.ToString());
        Assert.Equal(ElementType.Float, node.Output(2).ElementType);
    }

    [Fact]
    public void BatchNormalization_training_outputs_are_per_channel()
    {
        var g = new InferenceGraph(opset: 15);
        var node = g.NodeWithOutputs("BatchNormalization",
            [g.Input("x", 2, 8, 4, 4), g.Weight("s", 8), g.Weight("b", 8), g.Weight("m", 8), g.Weight("v", 8)], 3, Attr.Int("training_mode", 1));

        g.Infer();

        Assert.Equal("[2,8,4,4]", node.Output(0).Shape!.ToString());
        Assert.Equal("[8]", node.Output(1).Shape!.ToString());
    }

    [Fact]
    public void SkipLayerNormalization_has_four_outputs()
    {
        var g = new InferenceGraph();
        var node = g.Graph.AddNode("SkipLayerNormalization", [g.Input("x", "b", 128, 256), g.Input("skip", "b", 128, 256), g.Weight("gamma", 256)],
            ["y", "mean", "inv_std", "sum"], domain: "com.microsoft");

        g.Infer();

        Assert.Equal("[b,128,256]", node.Output(0).Shape!.ToString());
        Assert.Equal("[b,128,1]", node.Output(1).Shape!.ToString());
        Assert.Equal("[b,128,256]", node.Output(3).Shape!.ToString());
    }

    [Fact]
    public void SimplifiedLayerNormalization_in_the_onnx_domain_has_an_inv_std_dev_output()
    {
        var g = new InferenceGraph(opset: 17);
        var node = g.NodeWithOutputs("SimplifiedLayerNormalization", [g.Input("x", 2, 16, 64), g.Weight("scale", 64)], 2);

        g.Infer();

        Assert.Equal("[2,16,64]", node.Output(0).Shape!.ToString());
        Assert.Equal("[2,16,1]", node.Output(1).Shape!.ToString());
        Assert.Equal(ElementType.Float, node.Output(1).ElementType);
    }

    [Fact]
    public void SkipSimplifiedLayerNormalization_has_four_outputs()
    {
        var g = new InferenceGraph();
        var node = g.Graph.AddNode("SkipSimplifiedLayerNormalization", [g.Input("x", "b", 8, 32), g.Input("skip", 8, 32), g.Weight("gamma", 32)],
            ["y", "mean", "inv_std", "sum"], domain: "com.microsoft");

        g.Infer();

        Assert.Equal("[b,8,32]", node.Output(0).Shape!.ToString());
        Assert.Equal("[b,8,1]", node.Output(2).Shape!.ToString());
        Assert.Equal("[b,8,32]", node.Output(3).Shape!.ToString());
    }
}
