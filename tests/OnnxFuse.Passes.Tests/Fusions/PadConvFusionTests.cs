using OnnxFuse.Ir.Building;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Passes.Fusions;

namespace OnnxFuse.Passes.Tests.Fusions;

/// <summary>Oracle: the unfused model on both targets; tolerance rtol 1e-4, atol 1e-5.</summary>
public sealed class PadConvFusionTests
{
    static readonly long[] s_spatialPads = [0, 0, 1, 2, 0, 0, 2, 1];

    /// <summary>
    /// x[1,3,7,7] → Pad(<paramref name="pads"/>; input form from opset 11, attribute form before) → consumer → y.
    /// The consumer is a Conv (4 filters, 3×3) or a pool (3×3, stride 2) with the given attributes.
    /// </summary>
    static Model PadThen(string consumer, long opset = 13, long[]? pads = null, float padValue = 0f, string mode = "constant",
        Attr[]? consumerAttributes = null, bool sideReader = false)
    {
        pads ??= s_spatialPads;
        var b = new GraphBuilder(opset);
        var x = b.Input("x", ElementType.Float, 1, 3, 7, 7);
        var padded = opset < 11
            ? b.Node("Pad", [x], Attr.Ints("pads", pads), Attr.Float("value", padValue), Attr.String("mode", mode))
            : b.Node("Pad", [x, b.Initializer("pads", TensorData.Create<long>([pads.Length], pads)), b.Initializer("value", TensorData.Scalar(padValue))],
                Attr.String("mode", mode));
        var attributes = consumerAttributes ?? [];
        var y = consumer == "Conv"
            ? b.Node("Conv", [padded, b.RandomInitializer("w", 7, 4, 3, 3, 3), b.RandomInitializer("b", 8, 4)], attributes)
            : b.Node(consumer, [padded], [Attr.Ints("kernel_shape", [3, 3]), Attr.Ints("strides", [2, 2]), .. attributes]);
        b.Output(y, "y");
        if (sideReader)
            b.Output(b.Node("Relu", [padded]), "side");
        return b.Build();
    }

    [Theory]
    [InlineData(13)]
    [InlineData(10)]
    public void Adds_the_pads_to_the_conv_pads(long opset)
    {
        var original = PadThen("Conv", opset, consumerAttributes: [Attr.Ints("pads", [1, 1, 1, 1]), Attr.Ints("strides", [2, 1])]);

        var (fused, report) = PassTester.Run(original, new PadConvFusion());

        Assert.Single(report.Applied);
        Assert.Equal(["Conv"], PassTester.OpTypes(fused));
        Assert.Equal([2L, 3, 3, 2], fused.Graph.Nodes[0].GetInts("pads"));
        PassTester.AssertSameOutputs(original, fused, seed: 2);
    }

    [Fact]
    public void Reads_opset_18_pads_given_for_listed_axes()
    {
        var b = new GraphBuilder(opset: 18);
        var x = b.Input("x", ElementType.Float, 1, 3, 7, 7);
        var padded = b.Node("Pad", [x, b.Initializer("pads", TensorData.Create<long>([4], [2, 1, 0, 3])), null,
            b.Initializer("axes", TensorData.Create<long>([2], [-1, 2]))]);
        b.Output(b.Node("Conv", [padded, b.RandomInitializer("w", 7, 4, 3, 3, 3)]), "y");
        var original = b.Build();

        var (fused, report) = PassTester.Run(original, new PadConvFusion());

        Assert.Single(report.Applied);
        Assert.Equal([1L, 2, 3, 0], fused.Graph.Nodes[0].GetInts("pads"));
        PassTester.AssertSameOutputs(original, fused, seed: 3);
    }

    public static TheoryData<Attr[]> PoolsCountingPads => new()
    {
        { [Attr.Int("count_include_pad", 1), Attr.Ints("pads", [1, 0, 0, 1])] },
        { [] },
    };

    [Theory, MemberData(nameof(PoolsCountingPads))]
    public void Adds_the_pads_to_an_average_pool_that_counts_padding(Attr[] poolAttributes)
    {
        var original = PadThen("AveragePool", consumerAttributes: poolAttributes);

        var (fused, report) = PassTester.Run(original, new PadConvFusion());

        Assert.Single(report.Applied);
        Assert.Equal(["AveragePool"], PassTester.OpTypes(fused));
        Assert.Equal(1, fused.Graph.Nodes[0].GetInt("count_include_pad", 0));
        PassTester.AssertSameOutputs(original, fused, seed: 4);
    }

    [Fact]
    public void Leaves_a_pad_before_max_pool_because_max_pool_pads_with_minus_infinity()
    {
        var original = PadThen("MaxPool");

        var (fused, report) = PassTester.Run(original, new PadConvFusion());

        Assert.Empty(report.Applied);
        Assert.Equal(["Pad", "MaxPool"], PassTester.OpTypes(fused));
    }

    public static TheoryData<string, long[], float, string, Attr[]> NearMisses => new()
    {
        { "Conv", s_spatialPads, 1f, "constant", [] },
        { "Conv", s_spatialPads, 0f, "reflect", [] },
        { "AveragePool", [0, 1, 1, 1, 0, 0, 1, 1], 0f, "constant", [Attr.Int("count_include_pad", 1)] },
        { "Conv", [0, 0, 1, 1, 1, 0, 1, 1], 0f, "constant", [] },
        { "Conv", [0, 0, 2, 2, 0, 0, -1, 0], 0f, "constant", [] },
        { "Conv", s_spatialPads, 0f, "constant", [Attr.String("auto_pad", "SAME_UPPER")] },
        { "AveragePool", s_spatialPads, 0f, "constant", [Attr.Ints("pads", [1, 1, 1, 1])] },
        { "AveragePool", s_spatialPads, 0f, "constant", [Attr.Int("count_include_pad", 1), Attr.Int("ceil_mode", 1)] },
    };

    [Theory, MemberData(nameof(NearMisses))]
    public void Leaves_pads_that_are_not_zeros_on_spatial_axes_or_consumers_that_would_read_them_differently(
        string consumer, long[] pads, float padValue, string mode, Attr[] consumerAttributes)
    {
        var original = PadThen(consumer, pads: pads, padValue: padValue, mode: mode, consumerAttributes: consumerAttributes);

        var (_, report) = PassTester.Run(original, new PadConvFusion());

        Assert.Empty(report.Applied);
    }

    [Fact]
    public void Leaves_a_pad_whose_output_has_a_second_reader()
    {
        var original = PadThen("Conv", sideReader: true);

        var (_, report) = PassTester.Run(original, new PadConvFusion());

        Assert.Empty(report.Applied);
    }
}
