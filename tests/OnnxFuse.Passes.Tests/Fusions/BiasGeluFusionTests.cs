using OnnxFuse.Ir.Building;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Passes.Fusions;
using OnnxFuse.Passes.Rewriting;

namespace OnnxFuse.Passes.Tests.Fusions;

/// <summary>Oracle: the unfused model on the managed engine and on ONNX Runtime; rtol 1e-4, atol 1e-5.</summary>
public sealed class BiasGeluFusionTests
{
    const long Hidden = 8;

    /// <summary>x[2,3,8] · W → + bias → GELU (the erf form, or a Gelu node made by <paramref name="gelu"/>) → y.</summary>
    static Model ProjectionGelu(long opset, Func<GraphBuilder, Value, Value>? gelu = null, Func<GraphBuilder, Value>? bias = null, bool biasedReadTwice = false)
    {
        var b = new GraphBuilder(opset);
        var x = b.Input("x", ElementType.Float, 2, 3, 4);
        var projected = b.Node("MatMul", [x, b.RandomInitializer("w", 5, 4, Hidden)]);
        var biased = b.Node("Add", [bias?.Invoke(b) ?? NormalizationGraphs.Vector(b, "bias", 6, Hidden), projected]);
        b.Output(gelu?.Invoke(b, biased) ?? GeluGraphs.ErfGelu(b, biased, divide: true, HalfProduct.InputFirst, swapped: false), "y");
        if (biasedReadTwice)
            b.Output(biased, "biased");
        return b.Build();
    }

    static Value MicrosoftGelu(GraphBuilder b, Value x) => b.AddNode("Gelu", [x], domain: "com.microsoft").Output(0);

    static IReadOnlyList<string> Operators(Model model) => [.. PassTester.OpTypes(model).Where(op => op != "Constant")];

    [Fact]
    public void Fuses_the_bias_add_into_the_Gelu_that_the_gelu_pass_makes()
    {
        var original = ProjectionGelu(13);

        var (fused, report) = PassTester.Run(original, new GeluFusion(), new BiasGeluFusion());

        Assert.Equal(["gelu", "bias-gelu"], report.Applied.Select(r => r.Pattern));
        Assert.Equal(["MatMul", "com.microsoft.BiasGelu"], Operators(fused));
        Assert.Equal("bias_6", fused.Graph.Nodes[1].Input(1).Name);
        PassTester.AssertSameOutputs(original, fused, seed: 3);
    }

    [Theory]
    [InlineData(13)]
    [InlineData(20)]
    public void Fuses_the_bias_add_into_an_exact_Gelu_of_either_domain(long opset)
    {
        var original = ProjectionGelu(opset, gelu: opset >= 20 ? (b, v) => b.Node("Gelu", [v]) : MicrosoftGelu);

        var (fused, report) = PassTester.Run(original, new BiasGeluFusion());

        Assert.Single(report.Applied);
        Assert.Equal(["MatMul", "com.microsoft.BiasGelu"], Operators(fused));
        PassTester.AssertSameOutputs(original, fused, seed: 4);
    }

    [Fact]
    public void Leaves_the_tanh_approximation_alone()
    {
        var original = ProjectionGelu(20, gelu: (b, v) => b.Node("Gelu", [v], Attr.String("approximate", "tanh")));

        var (_, report) = PassTester.Run(original, new BiasGeluFusion());

        Assert.Empty(report.Applied);
    }

    [Fact]
    public void Does_not_match_when_only_standard_ops_may_be_emitted()
    {
        var original = ProjectionGelu(20, gelu: (b, v) => b.Node("Gelu", [v]));

        var (_, report) = PassTester.Run(original, new OptimizerOptions { StandardOnly = true }, new BiasGeluFusion());

        Assert.Empty(report.Applied);
    }

    [Fact]
    public void Leaves_a_bias_that_is_not_a_vector_over_the_last_axis_alone()
    {
        var original = ProjectionGelu(13, MicrosoftGelu, bias: b => b.RandomInitializer("bias", 6, 3, Hidden));

        var (_, report) = PassTester.Run(original, new BiasGeluFusion());

        Assert.Empty(report.Applied);
    }

    [Fact]
    public void Leaves_a_bias_that_is_not_constant_alone()
    {
        var original = ProjectionGelu(13, MicrosoftGelu, bias: b => b.Input("bias", ElementType.Float, Hidden));

        var (_, report) = PassTester.Run(original, new BiasGeluFusion());

        Assert.Empty(report.Applied);
    }

    [Fact]
    public void Leaves_the_pattern_alone_when_the_biased_value_has_a_second_reader()
    {
        var original = ProjectionGelu(13, MicrosoftGelu, biasedReadTwice: true);

        var (_, report) = PassTester.Run(original, new BiasGeluFusion());

        Assert.Empty(report.Applied);
    }
}
