using OnnxFuse.Ir.Building;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Passes.Fusions;

namespace OnnxFuse.Passes.Tests.Fusions;

/// <summary>Oracle: the unfused model on both targets; tolerance rtol 1e-4, atol 1e-5.</summary>
public sealed class ConvAddFusionTests
{
    /// <summary>x[1,3,4,4] → Conv(4 filters, 3×3, pad 1, optional bias) → Add(c of <paramref name="addendDims"/>) → y.</summary>
    internal static Model ConvThen(string opType, long[] addendDims, bool withBias = true, bool constantOnLeft = false, bool sideReader = false)
    {
        var b = new GraphBuilder(opset: 13);
        var x = b.Input("x", ElementType.Float, 1, 3, 4, 4);
        var inputs = new List<Value> { x, b.RandomInitializer("w", 7, 4, 3, 3, 3) };
        if (withBias)
            inputs.Add(b.RandomInitializer("conv_b", 8, 4));
        var conv = b.Node("Conv", inputs, Attr.Ints("pads", [1, 1, 1, 1]));
        var constant = b.RandomInitializer("c", 9, addendDims);
        b.Output(b.Node(opType, constantOnLeft ? [constant, conv] : [conv, constant]), "y");
        if (sideReader)
            b.Output(b.Node("Relu", [conv]), "side");
        return b.Build();
    }

    public static TheoryData<long[], bool, bool> Foldable => new()
    {
        { [4, 1, 1], true, false },
        { [1, 4, 1, 1], false, false },
        { [], true, true },
        { [1], false, true },
        { [1, 1, 1], true, false },
        { [4, 1, 1], true, true },
    };

    [Theory, MemberData(nameof(Foldable))]
    public void Folds_a_per_channel_or_scalar_addend_into_the_bias(long[] addendDims, bool withBias, bool constantOnLeft)
    {
        var original = ConvThen("Add", addendDims, withBias, constantOnLeft);

        var (fused, report) = PassTester.Run(original, new ConvAddFusion());

        Assert.Single(report.Applied);
        Assert.Equal(["Conv"], PassTester.OpTypes(fused));
        Assert.Equal(3, fused.Graph.Nodes[0].Inputs.Count);
        Assert.Equal("y", fused.Graph.Outputs[0].Name);
        PassTester.AssertSameOutputs(original, fused, seed: 3);
    }

    public static TheoryData<long[]> Broadcasting => new()
    {
        { [4] },
        { [1, 1, 4, 4] },
        { [4, 4, 1] },
        { [2, 4, 1, 1] },
        { [1, 1, 4, 1, 1] },
    };

    [Theory, MemberData(nameof(Broadcasting))]
    public void Leaves_an_addend_that_varies_over_batch_or_space_or_grows_the_output(long[] addendDims)
    {
        var original = ConvThen("Add", addendDims);

        var (fused, report) = PassTester.Run(original, new ConvAddFusion());

        Assert.Empty(report.Applied);
        Assert.Equal(["Conv", "Add"], PassTester.OpTypes(fused));
    }

    [Fact]
    public void Leaves_the_graph_alone_when_the_conv_output_has_a_second_reader()
    {
        var original = ConvThen("Add", [4, 1, 1], sideReader: true);

        var (_, report) = PassTester.Run(original, new ConvAddFusion());

        Assert.Empty(report.Applied);
    }

    [Fact]
    public void Leaves_an_addend_that_is_a_graph_input()
    {
        var b = new GraphBuilder(opset: 13);
        var conv = b.Node("Conv", [b.Input("x", ElementType.Float, 1, 3, 4, 4), b.RandomInitializer("w", 7, 4, 3, 1, 1)]);
        b.Output(b.Node("Add", [conv, b.Input("shift", ElementType.Float, 4, 1, 1)]), "y");

        var (_, report) = PassTester.Run(b.Build(), new ConvAddFusion());

        Assert.Empty(report.Applied);
    }
}
