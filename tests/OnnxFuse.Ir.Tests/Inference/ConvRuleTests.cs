using OnnxFuse.Ir.Graphs;

namespace OnnxFuse.Ir.Tests.Inference;

public sealed class ConvRuleTests
{
    [Fact]
    public void Conv_applies_pads_strides_and_dilations()
    {
        var g = new InferenceGraph();
        var y = g.Node("Conv", [g.Input("x", 1, 3, 32, 30), g.Weight("w", 8, 3, 3, 3)],
            Attr.Ints("pads", [1, 0, 1, 0]), Attr.Ints("strides", [2, 1]), Attr.Ints("dilations", [1, 2]));

        g.Infer();

        // H: ⌊(32 + 2 − 3) / 2⌋ + 1 = 16; W: ⌊(30 − (2·2 + 1)) / 1⌋ + 1 = 26.
        Assert.Equal("[1,8,16,26]", y.Shape!.ToString());
    }

    [Theory]
    [InlineData("SAME_UPPER", "[n,4,7,7]")]
    [InlineData("SAME_LOWER", "[n,4,7,7]")]
    [InlineData("VALID", "[n,4,6,6]")]
    public void Conv_auto_pad_modes(string autoPad, string expected)
    {
        var g = new InferenceGraph();
        var y = g.Node("Conv", [g.Input("x", "n", 2, 13, 13), g.Weight("w", 4, 2, 3, 3)],
            Attr.String("auto_pad", autoPad), Attr.Ints("strides", [2, 2]));

        g.Infer();

        Assert.Equal(expected, y.Shape!.ToString());
    }

    [Fact]
    public void Grouped_conv_takes_output_channels_from_weights()
    {
        var g = new InferenceGraph();
        var y = g.Node("Conv", [g.Input("x", 1, 32, 5), g.Weight("w", 64, 1, 3)],
            Attr.Int("group", 32), Attr.Ints("pads", [1, 1]));

        var report = g.Infer();

        Assert.Equal("[1,64,5]", y.Shape!.ToString());
        Assert.Empty(report.Conflicts);
    }

    [Fact]
    public void Conv_with_channels_that_do_not_match_the_group_is_reported()
    {
        var g = new InferenceGraph();
        g.Node("Conv", [g.Input("x", 1, 6, 5), g.Weight("w", 4, 4, 1)], Attr.Int("group", 2));

        var report = g.Infer();

        Assert.Single(report.Conflicts);
    }

    [Fact]
    public void ConvTranspose_uses_strides_output_padding_and_groups()
    {
        var g = new InferenceGraph();
        var y = g.Node("ConvTranspose", [g.Input("x", 1, 4, 3, 3), g.Weight("w", 4, 2, 3, 3)],
            Attr.Ints("strides", [3, 2]), Attr.Ints("output_padding", [1, 1]), Attr.Int("group", 2), Attr.Ints("pads", [0, 0, 0, 0]));

        g.Infer();

        // H: 3·2 + 1 + 3 = 10; W: 2·2 + 1 + 3 = 8; channels 2 · group 2.
        Assert.Equal("[1,4,10,8]", y.Shape!.ToString());
    }

    [Fact]
    public void ConvTranspose_output_shape_wins()
    {
        var g = new InferenceGraph();
        var y = g.Node("ConvTranspose", [g.Input("x", 1, 1, 3, 3), g.Weight("w", 1, 2, 3, 3)],
            Attr.Ints("strides", [3, 2]), Attr.Ints("output_shape", [10, 8]));

        g.Infer();

        Assert.Equal("[1,2,10,8]", y.Shape!.ToString());
    }

    [Fact]
    public void FusedConv_in_the_microsoft_domain_follows_conv()
    {
        var g = new InferenceGraph();
        var y = g.MicrosoftNode("FusedConv", [g.Input("x", 1, 3, 8, 8), g.Weight("w", 5, 3, 1, 1)], Attr.String("activation", "Relu"));

        g.Infer();

        Assert.Equal("[1,5,8,8]", y.Shape!.ToString());
    }
}
