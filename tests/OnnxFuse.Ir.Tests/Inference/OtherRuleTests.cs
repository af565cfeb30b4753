using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Ir.Tests.Inference;

/// <summary>TopK, NonZero, OneHot, the recurrent ops, Resize, Einsum and Range.</summary>
public sealed class OtherRuleTests
{
    [Fact]
    public void TopK_reads_k_from_input_from_opset_10()
    {
        var g = new InferenceGraph();
        var topK = g.NodeWithOutputs("TopK", [g.Input("x", 3, 10), g.Ints("k", 4)], 2);

        g.Infer();

        Assert.Equal("[3,4]", topK.Output(0).Shape!.ToString());
        Assert.Equal(ElementType.Int64, topK.Output(1).ElementType);
    }

    [Fact]
    public void NonZero_leaves_its_count_unknown_and_says_why()
    {
        var g = new InferenceGraph();
        var y = g.Node("NonZero", [g.Input("x", 3, 4)]);

        var report = g.Infer();

        Assert.Equal("[2,?]", y.Shape!.ToString());
        Assert.Contains("contents", Assert.Single(report.Unresolved).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void OneHot_inserts_depth_at_axis()
    {
        var g = new InferenceGraph();
        var y = g.Node("OneHot", [g.Input("i", ElementType.Int64, 2, 3), g.Ints("depth", 10), g.Floats("values", 0, 1)], Attr.Int("axis", 1));

        g.Infer();

        Assert.Equal("[2,10,3]", y.Shape!.ToString());
    }

    [Fact]
    public void Bidirectional_lstm_outputs_have_two_directions()
    {
        var g = new InferenceGraph();
        var lstm = g.NodeWithOutputs("LSTM", [g.Input("x", 7, 2, 5), g.Weight("w", 2, 64, 5), g.Weight("r", 2, 64, 16)], 3,
            Attr.Int("hidden_size", 16), Attr.String("direction", "bidirectional"));

        g.Infer();

        Assert.Equal("[7,2,2,16]", lstm.Output(0).Shape!.ToString());
        Assert.Equal("[2,2,16]", lstm.Output(2).Shape!.ToString());
    }

    [Fact]
    public void Resize_uses_constant_scales_or_sizes()
    {
        var g = new InferenceGraph();
        var scaled = g.Node("Resize", [g.Input("x", 1, 3, 5, 5), null, g.Floats("scales", 1, 1, 2, 1.5f)]);
        var sized = g.Node("Resize", [g.Input("z", 1, 3, 5, 5), null, null, g.Ints("sizes", 1, 3, 8, 9)]);

        g.Infer();

        Assert.Equal("[1,3,10,7]", scaled.Shape!.ToString());
        Assert.Equal("[1,3,8,9]", sized.Shape!.ToString());
    }

    [Fact]
    public void Upsample_before_opset_9_reads_the_scales_attribute()
    {
        var g = new InferenceGraph(opset: 8);
        var y = g.Node("Upsample", [g.Input("x", 1, 1, 2, 3)], Attr.Floats("scales", [1, 1, 2, 3]));

        g.Infer();

        Assert.Equal("[1,1,4,9]", y.Shape!.ToString());
    }

    [Theory]
    [InlineData("bij,bjk->bik", "[4,2,5]")]
    [InlineData("...ij,...jk", "[4,2,5]")]
    [InlineData("bij,bjk->b", "[4]")]
    public void Einsum_labels_dims_by_equation(string equation, string expected)
    {
        var g = new InferenceGraph();
        var y = g.Node("Einsum", [g.Input("a", 4, 2, 3), g.Input("b", 4, 3, 5)], Attr.String("equation", equation));

        g.Infer();

        Assert.Equal(expected, y.Shape!.ToString());
    }

    [Fact]
    public void Range_with_float_constants_has_a_known_length()
    {
        var g = new InferenceGraph();
        var y = g.Node("Range", [g.Graph.AddInitializer("s", TensorData.Scalar(0f)), g.Graph.AddInitializer("l", TensorData.Scalar(1f)), g.Graph.AddInitializer("d", TensorData.Scalar(0.25f))]);

        g.Infer();

        Assert.Equal("[4]", y.Shape!.ToString());
        Assert.Equal(ElementType.Float, y.ElementType);
    }
}
