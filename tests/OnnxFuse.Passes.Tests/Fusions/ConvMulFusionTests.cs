using OnnxFuse.Ir.Building;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Passes.Fusions;

namespace OnnxFuse.Passes.Tests.Fusions;

/// <summary>Oracle: the unfused model on both targets; tolerance rtol 1e-4, atol 1e-5.</summary>
public sealed class ConvMulFusionTests
{
    public static TheoryData<long[], bool, bool> Foldable => new()
    {
        { [4, 1, 1], true, false },
        { [1, 4, 1, 1], false, true },
        { [], true, true },
        { [1, 1, 1, 1], false, false },
    };

    [Theory, MemberData(nameof(Foldable))]
    public void Folds_a_per_channel_or_scalar_factor_into_weights_and_bias(long[] factorDims, bool withBias, bool constantOnLeft)
    {
        var original = ConvAddFusionTests.ConvThen("Mul", factorDims, withBias, constantOnLeft);

        var (fused, report) = PassTester.Run(original, new ConvMulFusion());

        Assert.Single(report.Applied);
        Assert.Equal(["Conv"], PassTester.OpTypes(fused));
        Assert.Equal(withBias ? 3 : 2, fused.Graph.Nodes[0].Inputs.Count);
        PassTester.AssertSameOutputs(original, fused, seed: 4);
    }

    [Fact]
    public void Folds_a_reparameterized_block_of_scalar_scale_then_channel_shift_into_one_conv()
    {
        var b = new GraphBuilder(opset: 13);
        var conv = b.Node("Conv", [b.Input("x", ElementType.Float, 1, 3, 6, 6), b.RandomInitializer("w", 7, 4, 3, 3, 3), b.RandomInitializer("b", 8, 4)]);
        var scaled = b.Node("Mul", [conv, b.Initializer("gamma", TensorData.Scalar(0.75f))]);
        b.Output(b.Node("Add", [scaled, b.RandomInitializer("beta", 9, 1, 4, 1, 1)]), "y");
        var original = b.Build();

        var (fused, report) = PassTester.Run(original, new ConvMulFusion(), new ConvAddFusion());

        Assert.Equal(2, report.Applied.Count);
        Assert.Equal(["Conv"], PassTester.OpTypes(fused));
        PassTester.AssertSameOutputs(original, fused, seed: 6);
    }

    [Theory]
    [InlineData(new long[] { 4 })]
    [InlineData(new long[] { 1, 4, 4, 1 })]
    [InlineData(new long[] { 3, 1, 1, 1 })]
    public void Leaves_a_factor_that_varies_over_batch_or_space_or_grows_the_output(long[] factorDims)
    {
        var original = ConvAddFusionTests.ConvThen("Mul", factorDims);

        var (fused, report) = PassTester.Run(original, new ConvMulFusion());

        Assert.Empty(report.Applied);
        Assert.Equal(["Conv", "Mul"], PassTester.OpTypes(fused));
    }

    [Fact]
    public void Leaves_the_graph_alone_when_the_conv_output_has_a_second_reader()
    {
        var original = ConvAddFusionTests.ConvThen("Mul", [4, 1, 1], sideReader: true);

        var (_, report) = PassTester.Run(original, new ConvMulFusion());

        Assert.Empty(report.Applied);
    }
}
