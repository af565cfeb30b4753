using OnnxFuse.Ir.Building;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Passes.Fusions;

namespace OnnxFuse.Passes.Tests.Fusions;

public sealed class ConvBatchNormFusionTests
{
    /// <summary>x[1,3,8,8] → Conv(4 filters, 3×3, pad 1, optional bias) → BatchNormalization → y.</summary>
    static Model ConvBatchNorm(bool withBias, bool constantNodes = false, bool sideReader = false)
    {
        var b = new GraphBuilder(opset: 13);
        var x = b.Input("x", ElementType.Float, 1, 3, 8, 8);
        var w = constantNodes ? b.Constant(Random(7, 4, 3, 3, 3)) : b.RandomInitializer("w", 7, 4, 3, 3, 3);
        var inputs = new List<Value> { x, w };
        if (withBias)
            inputs.Add(b.RandomInitializer("conv_b", 8, 4));
        var conv = b.Node("Conv", inputs, Attr.Ints("pads", [1, 1, 1, 1]));
        var scale = b.RandomInitializer("scale", 9, 4);
        var bias = b.RandomInitializer("bias", 10, 4);
        var mean = b.RandomInitializer("mean", 11, 4);
        var variance = b.Initializer("var", TensorData.Create<float>([4], [0.5f, 1.5f, 0.01f, 2f]));
        var y = b.Node("BatchNormalization", [conv, scale, bias, mean, variance], Attr.Float("epsilon", 1e-3f));
        b.Output(y, "y");
        if (sideReader)
            b.Output(b.Node("Relu", [conv]), "side");
        return b.Build();
    }

    static TensorData Random(int seed, params long[] dims)
    {
        var random = new Random(seed);
        var values = new float[dims.Aggregate(1L, (n, d) => n * d)];
        for (var i = 0; i < values.Length; i++)
            values[i] = (random.NextSingle() * 2) - 1;
        return TensorData.Create<float>(dims, values);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Folds_batchnorm_into_the_conv_and_keeps_the_outputs(bool withBias)
    {
        var original = ConvBatchNorm(withBias);

        var (fused, report) = PassTester.Run(original, new ConvBatchNormFusion());

        Assert.Single(report.Applied);
        Assert.Equal(["Conv"], PassTester.OpTypes(fused));
        Assert.Equal("y", fused.Graph.Outputs[0].Name);
        PassTester.AssertSameOutputs(original, fused, seed: 3);
    }

    [Fact]
    public void Folds_weights_held_in_constant_nodes()
    {
        var original = ConvBatchNorm(withBias: false, constantNodes: true);

        var (fused, report) = PassTester.Run(original, new ConvBatchNormFusion());

        Assert.Single(report.Applied);
        Assert.Equal(["Conv"], PassTester.OpTypes(fused));
        PassTester.AssertSameOutputs(original, fused, seed: 4);
    }

    [Fact]
    public void Leaves_the_graph_alone_when_the_conv_output_has_a_second_reader()
    {
        var original = ConvBatchNorm(withBias: true, sideReader: true);

        var (fused, report) = PassTester.Run(original, new ConvBatchNormFusion());

        Assert.Empty(report.Applied);
        Assert.Equal(["Conv", "BatchNormalization", "Relu"], PassTester.OpTypes(fused));
    }

    [Fact]
    public void Leaves_a_training_mode_batchnorm_alone()
    {
        var original = ConvBatchNorm(withBias: true);
        original.Graph.Nodes.Single(n => n.OpType == "BatchNormalization").SetAttr(Attr.Int("training_mode", 1));

        var (_, report) = PassTester.Run(original, new ConvBatchNormFusion());

        Assert.Empty(report.Applied);
    }
}
