using OnnxFuse.Ir.Building;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Passes.Fusions;
using OnnxFuse.Passes.Rewriting;

namespace OnnxFuse.Passes.Tests.Fusions;

/// <summary>Oracle: the unfused model on both targets; tolerance rtol 1e-4, atol 1e-5.</summary>
public sealed class ConvActivationFusionTests
{
    /// <summary>x[1,3,9,9] (or [1,3,16] for 1-D) → Conv(4 filters, k3, stride 2, pad 1, bias) → activation → y.</summary>
    static Model ConvThen(Func<GraphBuilder, Value, Value> activation, long opset = 13, int spatialRank = 2, bool sideReader = false)
    {
        var b = new GraphBuilder(opset);
        var x = spatialRank switch
        {
            1 => b.Input("x", ElementType.Float, 1, 3, 16),
            2 => b.Input("x", ElementType.Float, 1, 3, 9, 9),
            _ => b.Input("x", ElementType.Float, 1, 3, 5, 5, 5),
        };
        long[] weightDims = [4, 3, .. Enumerable.Repeat(3L, spatialRank)];
        var conv = b.Node("Conv", [x, b.RandomInitializer("w", 7, weightDims), b.RandomInitializer("b", 8, 4)],
            Attr.Ints("strides", Enumerable.Repeat(2L, spatialRank)), Attr.Ints("pads", Enumerable.Repeat(1L, 2 * spatialRank)));
        b.Output(activation(b, conv), "y");
        if (sideReader)
            b.Output(b.Node("Relu", [conv]), "side");
        return b.Build();
    }

    static Value Scalar(GraphBuilder b, string name, float value) => b.Initializer(name, TensorData.Scalar(value));

    public static TheoryData<string, long, float[]> Activations => new()
    {
        { "Relu", 13, [] },
        { "Sigmoid", 13, [] },
        { "Tanh", 13, [] },
        { "LeakyRelu", 13, [0.2f] },
        { "HardSigmoid", 13, [0.3f, 0.4f] },
        { "Clip", 13, [0f, 6f] },
        { "Clip", 10, [-0.5f, 0.25f] },
    };

    static Value Activation(GraphBuilder b, Value input, string opType, long opset, float[] parameters) => (opType, parameters) switch
    {
        ("LeakyRelu", [var alpha]) => b.Node(opType, [input], Attr.Float("alpha", alpha)),
        ("HardSigmoid", [var alpha, var beta]) => b.Node(opType, [input], Attr.Float("alpha", alpha), Attr.Float("beta", beta)),
        ("Clip", [var min, var max]) when opset < 11 => b.Node(opType, [input], Attr.Float("min", min), Attr.Float("max", max)),
        ("Clip", [var min, var max]) => b.Node(opType, [input, Scalar(b, "min", min), Scalar(b, "max", max)]),
        _ => b.Node(opType, [input]),
    };

    [Theory, MemberData(nameof(Activations))]
    public void Fuses_the_activation_into_a_fused_conv_with_onnx_runtime_parameters(string opType, long opset, float[] parameters)
    {
        var original = ConvThen((b, conv) => Activation(b, conv, opType, opset, parameters), opset);

        var (fused, report) = PassTester.Run(original, new ConvActivationFusion());

        Assert.Single(report.Applied);
        Assert.Equal(["com.microsoft.FusedConv"], PassTester.OpTypes(fused));
        var node = fused.Graph.Nodes[0];
        Assert.Equal(opType, node.GetString("activation", ""));
        Assert.Equal(parameters, node.GetFloats("activation_params") ?? []);
        Assert.Equal([2L, 2], node.GetInts("strides"));
        Assert.Equal("y", fused.Graph.Outputs[0].Name);
        PassTester.AssertSameOutputs(original, fused, seed: 3);
    }

    [Fact]
    public void Fuses_a_clip_with_only_a_lower_bound_using_the_float_range_for_the_other()
    {
        var original = ConvThen((b, conv) => b.Node("Clip", [conv, Scalar(b, "min", -0.1f)]));

        var (fused, report) = PassTester.Run(original, new ConvActivationFusion());

        Assert.Single(report.Applied);
        Assert.Equal([-0.1f, float.MaxValue], fused.Graph.Nodes[0].GetFloats("activation_params"));
        PassTester.AssertSameOutputs(original, fused, seed: 4);
    }

    [Fact]
    public void Fuses_a_1d_convolution()
    {
        var original = ConvThen((b, conv) => b.Node("Relu", [conv]), spatialRank: 1);

        var (fused, report) = PassTester.Run(original, new ConvActivationFusion());

        Assert.Single(report.Applied);
        PassTester.AssertSameOutputs(original, fused, seed: 5);
    }

    [Fact]
    public void Leaves_a_3d_convolution_alone()
    {
        var original = ConvThen((b, conv) => b.Node("Relu", [conv]), spatialRank: 3);

        var (_, report) = PassTester.Run(original, new ConvActivationFusion());

        Assert.Empty(report.Applied);
    }

    [Fact]
    public void Emits_nothing_when_only_standard_ops_are_allowed()
    {
        var original = ConvThen((b, conv) => b.Node("Relu", [conv]));

        var (_, report) = PassTester.Run(original, new OptimizerOptions { StandardOnly = true }, new ConvActivationFusion());

        Assert.Empty(report.Applied);
    }

    [Fact]
    public void Leaves_a_clip_with_a_run_time_bound()
    {
        var original = ConvThen((b, conv) => b.Node("Clip", [conv, Scalar(b, "min", 0f), b.Input("max", ElementType.Float)]));

        var (_, report) = PassTester.Run(original, new ConvActivationFusion());

        Assert.Empty(report.Applied);
    }

    [Fact]
    public void Leaves_the_graph_alone_when_the_conv_output_has_a_second_reader()
    {
        var original = ConvThen((b, conv) => b.Node("Sigmoid", [conv]), sideReader: true);

        var (fused, report) = PassTester.Run(original, new ConvActivationFusion());

        Assert.Empty(report.Applied);
        Assert.Equal(["Conv", "Sigmoid", "Relu"], PassTester.OpTypes(fused));
    }

    [Fact]
    public void Leaves_silu_alone()
    {
        var original = ConvThen((b, conv) => b.Node("Mul", [conv, b.Node("Sigmoid", [conv])]));

        var (_, report) = PassTester.Run(original, new ConvActivationFusion());

        Assert.Empty(report.Applied);
    }
}
