using OnnxFuse.Ir.Graphs;

namespace OnnxFuse.Ir.Tests.Inference;

public sealed class AttentionRuleTests
{
    [Fact]
    public void Attention_output_hidden_is_a_third_of_the_packed_weights()
    {
        var g = new InferenceGraph();
        var y = g.MicrosoftNode("Attention", [g.Input("x", "b", 128, 256), g.Weight("w", 256, 768), g.Weight("bias", 768)], Attr.Int("num_heads", 4));

        g.Infer();

        Assert.Equal("[b,128,256]", y.Shape!.ToString());
    }

    [Fact]
    public void Attention_output_takes_the_value_size_of_qkv_hidden_sizes()
    {
        var g = new InferenceGraph();
        var y = g.MicrosoftNode("Attention", [g.Input("x", 1, 7, 32), g.Weight("w", 32, 80), g.Weight("bias", 80)], Attr.Int("num_heads", 4),
            Attr.Ints("qkv_hidden_sizes", [32, 32, 16]));

        g.Infer();

        Assert.Equal("[1,7,16]", y.Shape!.ToString());
    }

    [Fact]
    public void MultiHeadAttention_takes_the_value_hidden_size()
    {
        var g = new InferenceGraph();
        var y = g.MicrosoftNode("MultiHeadAttention", [g.Input("q", 2, 10, 64), g.Input("k", 2, 20, 64), g.Input("v", 2, 20, 96)], Attr.Int("num_heads", 4));

        g.Infer();

        Assert.Equal("[2,10,96]", y.Shape!.ToString());
    }

    [Fact]
    public void Gelu_variants_keep_the_input_shape()
    {
        var g = new InferenceGraph();
        var x = g.Input("x", 2, 8);
        var biasGelu = g.MicrosoftNode("BiasGelu", [x, g.Weight("bias", 8)]);
        var quick = g.MicrosoftNode("QuickGelu", [biasGelu]);
        var fast = g.MicrosoftNode("FastGelu", [quick]);

        g.Infer();

        Assert.Equal("[2,8]", fast.Shape!.ToString());
    }
}
