using OnnxFuse.Ir.Building;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Passes.Fusions;
using OnnxFuse.Passes.Rewriting;

namespace OnnxFuse.Passes.Tests.Fusions;

/// <summary>Oracle: the unfused model on both targets; tolerance rtol 1e-4, atol 1e-5.</summary>
public sealed class GemmActivationFusionTests
{
    /// <summary>x[3,5] → Gemm(W [4,5] transB, C [4], α 0.5) → activation(attributes) → y.</summary>
    static Model GemmThen(string opType, Attr[] attributes, bool sideReader = false)
    {
        var b = new GraphBuilder(opset: 13);
        var x = b.Input("x", ElementType.Float, 3, 5);
        var gemm = b.Node("Gemm", [x, b.RandomInitializer("w", 7, 4, 5), b.RandomInitializer("c", 8, 4)], Attr.Int("transB", 1), Attr.Float("alpha", 0.5f));
        var y = opType == "Clip"
            ? b.Node(opType, [gemm, b.Initializer("min", TensorData.Scalar(0f)), b.Initializer("max", TensorData.Scalar(6f))])
            : b.Node(opType, [gemm], attributes);
        b.Output(y, "y");
        if (sideReader)
            b.Output(b.Node("Relu", [gemm]), "side");
        return b.Build();
    }

    public static TheoryData<string, Attr[], float[]> Activations => new()
    {
        { "Relu", [], [] },
        { "Sigmoid", [], [] },
        { "Tanh", [], [] },
        { "LeakyRelu", [Attr.Float("alpha", 0.2f)], [0.2f] },
        { "LeakyRelu", [], [0.01f] },
        { "HardSigmoid", [Attr.Float("alpha", 0.3f), Attr.Float("beta", 0.4f)], [0.3f, 0.4f] },
    };

    [Theory, MemberData(nameof(Activations))]
    public void Fuses_the_activation_into_a_fused_gemm_with_prefixed_attributes(string opType, Attr[] attributes, float[] parameters)
    {
        var original = GemmThen(opType, attributes);

        var (fused, report) = PassTester.Run(original, new GemmActivationFusion());

        Assert.Single(report.Applied);
        Assert.Equal(["com.microsoft.FusedGemm"], PassTester.OpTypes(fused));
        var node = fused.Graph.Nodes[0];
        Assert.Equal(opType, node.GetString("activation", ""));
        Assert.Equal(parameters, new[] { "activation_alpha", "activation_beta" }.Where(node.HasAttr).Select(name => node.GetFloat(name, 0f)));
        Assert.Equal(0.5f, node.GetFloat("alpha", 1f));
        PassTester.AssertSameOutputs(original, fused, seed: 3);
    }

    [Fact]
    public void Leaves_clip_because_fused_gemm_has_none()
    {
        var (_, report) = PassTester.Run(GemmThen("Clip", []), new GemmActivationFusion());

        Assert.Empty(report.Applied);
    }

    [Fact]
    public void Emits_nothing_when_only_standard_ops_are_allowed()
    {
        var (_, report) = PassTester.Run(GemmThen("Relu", []), new OptimizerOptions { StandardOnly = true }, new GemmActivationFusion());

        Assert.Empty(report.Applied);
    }

    [Fact]
    public void Leaves_the_graph_alone_when_the_gemm_output_has_a_second_reader()
    {
        var (_, report) = PassTester.Run(GemmThen("Tanh", [], sideReader: true), new GemmActivationFusion());

        Assert.Empty(report.Applied);
    }
}
