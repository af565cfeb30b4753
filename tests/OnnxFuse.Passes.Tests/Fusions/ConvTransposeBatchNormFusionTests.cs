using OnnxFuse.Ir.Building;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Passes.Fusions;

namespace OnnxFuse.Passes.Tests.Fusions;

/// <summary>Oracle: the unfused model on both targets; tolerance rtol 1e-4, atol 1e-5.</summary>
public sealed class ConvTransposeBatchNormFusionTests
{
    /// <summary>x[1,4,5,5] → ConvTranspose(W [4, 3, 3, 3], group, stride 2) → BatchNormalization(3·group) → y.</summary>
    static Model ConvTransposeBatchNorm(int groupCount, bool withBias, bool sideReader = false)
    {
        var b = new GraphBuilder(opset: 13);
        var x = b.Input("x", ElementType.Float, 1, 4, 5, 5);
        var channels = 3 * groupCount;
        var inputs = new List<Value> { x, b.RandomInitializer("w", 7, 4, 3, 3, 3) };
        if (withBias)
            inputs.Add(b.RandomInitializer("b", 8, channels));
        var convTranspose = b.Node("ConvTranspose", inputs, Attr.Int("group", groupCount), Attr.Ints("strides", [2, 2]), Attr.Ints("pads", [1, 0, 0, 1]));
        var variance = b.Initializer("var", TensorData.Create<float>([channels], [.. Enumerable.Range(0, channels).Select(c => 0.25f + c)]));
        var y = b.Node("BatchNormalization", [convTranspose, b.RandomInitializer("scale", 9, channels), b.RandomInitializer("bias", 10, channels),
            b.RandomInitializer("mean", 11, channels), variance], Attr.Float("epsilon", 1e-3f));
        b.Output(y, "y");
        if (sideReader)
            b.Output(b.Node("Relu", [convTranspose]), "side");
        return b.Build();
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(1, false)]
    [InlineData(2, true)]
    [InlineData(2, false)]
    public void Folds_batchnorm_into_the_convtranspose_per_group_and_keeps_the_outputs(int groupCount, bool withBias)
    {
        var original = ConvTransposeBatchNorm(groupCount, withBias);

        var (fused, report) = PassTester.Run(original, new ConvTransposeBatchNormFusion());

        Assert.Single(report.Applied);
        Assert.Equal(["ConvTranspose"], PassTester.OpTypes(fused));
        Assert.Equal("y", fused.Graph.Outputs[0].Name);
        PassTester.AssertSameOutputs(original, fused, seed: 3);
    }

    [Fact]
    public void Leaves_the_graph_alone_when_the_convtranspose_output_has_a_second_reader()
    {
        var original = ConvTransposeBatchNorm(groupCount: 1, withBias: true, sideReader: true);

        var (fused, report) = PassTester.Run(original, new ConvTransposeBatchNormFusion());

        Assert.Empty(report.Applied);
        Assert.Equal(["ConvTranspose", "BatchNormalization", "Relu"], PassTester.OpTypes(fused));
    }

    [Fact]
    public void Leaves_a_plain_conv_to_conv_batchnorm()
    {
        var b = new GraphBuilder(opset: 13);
        var conv = b.Node("Conv", [b.Input("x", ElementType.Float, 1, 3, 6, 6), b.RandomInitializer("w", 1, 4, 3, 3, 3)]);
        b.Output(b.Node("BatchNormalization", [conv, b.RandomInitializer("s", 2, 4), b.RandomInitializer("t", 3, 4),
            b.RandomInitializer("m", 4, 4), b.Initializer("v", TensorData.Create<float>([4], [1f, 2f, 3f, 4f]))]), "y");

        var (_, report) = PassTester.Run(b.Build(), new ConvTransposeBatchNormFusion());

        Assert.Empty(report.Applied);
    }
}
