using OnnxFuse.Ir.Building;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Passes.Fusions;

namespace OnnxFuse.Passes.Tests.Fusions;

/// <summary>Oracle: the unfused model on the managed engine and on ONNX Runtime; rtol 1e-4, atol 1e-5.</summary>
public sealed class LayerNormFusionTests
{
    const long Hidden = 16;

    /// <summary>x[2,5,16] → decomposed layer normalization → y, or <paramref name="extra"/>(y) when given.</summary>
    static Model LayerNorm(long opset, LayerNormForm form, Func<GraphBuilder, Value, Value>? extra = null)
    {
        var b = new GraphBuilder(opset);
        var x = b.Input("x", ElementType.Float, 2, 5, Hidden);
        var y = NormalizationGraphs.DecomposedLayerNorm(b, x, Hidden, opset, form);
        b.Output(extra is null ? y : extra(b, y), "y");
        return b.Build();
    }

    [Theory]
    [InlineData(17, false, false)]
    [InlineData(17, true, true)]
    [InlineData(18, false, true)]
    [InlineData(18, true, false)]
    public void Fuses_the_decomposed_chain_into_one_LayerNormalization(long opset, bool squareWithMul, bool constantsFirst)
    {
        var original = LayerNorm(opset, new LayerNormForm { SquareWithMul = squareWithMul, ConstantsFirst = constantsFirst, Epsilon = 1e-3f });

        var (fused, report) = PassTester.Run(original, new LayerNormFusion());

        Assert.Single(report.Applied);
        Assert.Equal(["LayerNormalization"], PassTester.OpTypes(fused));
        var layerNorm = fused.Graph.Nodes[0];
        Assert.Equal(1e-3f, layerNorm.GetFloat("epsilon", 0f));
        Assert.Equal(-1, layerNorm.GetInt("axis", 0));
        Assert.Equal("y", fused.Graph.Outputs[0].Name);
        PassTester.AssertSameOutputs(original, fused, seed: 3);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(false, false)]
    public void Fuses_a_chain_without_scale_or_bias(bool withScale, bool withBias)
    {
        var original = LayerNorm(17, new LayerNormForm { WithScale = withScale, WithBias = withBias });

        var (fused, report) = PassTester.Run(original, new LayerNormFusion());

        Assert.Single(report.Applied);
        Assert.Equal(["LayerNormalization"], PassTester.OpTypes(fused));
        Assert.Equal(withBias ? 3 : 2, fused.Graph.Nodes[0].Inputs.Count);
        PassTester.AssertSameOutputs(original, fused, seed: 4);
    }

    [Fact]
    public void Reads_scale_and_bias_held_in_constant_nodes_and_the_positive_last_axis()
    {
        var original = LayerNorm(17, new LayerNormForm { ConstantNodes = true, Axis = 2 });

        var (fused, report) = PassTester.Run(original, new LayerNormFusion());

        Assert.Single(report.Applied);
        Assert.Equal(["Constant", "Constant", "LayerNormalization"], PassTester.OpTypes(fused));
        PassTester.AssertSameOutputs(original, fused, seed: 5);
    }

    [Fact]
    public void Fuses_only_the_normalization_when_the_scale_is_not_constant()
    {
        var b = new GraphBuilder(17);
        var x = b.Input("x", ElementType.Float, 2, 5, Hidden);
        var gamma = b.Input("gamma", ElementType.Float, Hidden);
        var normalized = NormalizationGraphs.DecomposedLayerNorm(b, x, Hidden, 17, new LayerNormForm { WithScale = false, WithBias = false });
        b.Output(b.Node("Mul", [normalized, gamma]), "y");
        var original = b.Build();

        var (fused, report) = PassTester.Run(original, new LayerNormFusion());

        Assert.Single(report.Applied);
        Assert.Equal(["LayerNormalization", "Mul"], PassTester.OpTypes(fused));
        PassTester.AssertSameOutputs(original, fused, seed: 6);
    }

    [Fact]
    public void Does_not_match_below_opset_17_where_LayerNormalization_is_not_standard()
    {
        var original = LayerNorm(13, new LayerNormForm());

        var (_, report) = PassTester.Run(original, new LayerNormFusion());

        Assert.Empty(report.Applied);
    }

    [Fact]
    public void Leaves_a_normalization_over_another_axis_alone()
    {
        var original = LayerNorm(17, new LayerNormForm { Axis = 1, WithScale = false, WithBias = false });

        var (_, report) = PassTester.Run(original, new LayerNormFusion());

        Assert.Empty(report.Applied);
    }

    [Fact]
    public void Leaves_the_chain_alone_when_the_centered_value_has_a_second_reader()
    {
        var original = LayerNorm(17, new LayerNormForm(), extra: (b, y) =>
        {
            var centered = b.Graph.Nodes.Single(n => n.OpType == "Sub").Output(0);
            return b.Node("Add", [y, centered]);
        });

        var (_, report) = PassTester.Run(original, new LayerNormFusion());

        Assert.Empty(report.Applied);
    }

    [Fact]
    public void Leaves_the_chain_alone_when_the_square_is_another_power()
    {
        var original = LayerNorm(17, new LayerNormForm());
        var pow = original.Graph.Nodes.Single(n => n.OpType == "Pow");
        pow.SetInput(1, original.Graph.AddInitializer("three", TensorData.Scalar(3f)));

        var (_, report) = PassTester.Run(original, new LayerNormFusion());

        Assert.Empty(report.Applied);
    }

    [Fact]
    public void Leaves_the_chain_alone_when_epsilon_is_not_a_scalar()
    {
        var original = LayerNorm(17, new LayerNormForm());
        var addEpsilon = original.Graph.Nodes.Single(n => n.OpType == "Add" && n.Output(0).Consumers.Any(c => c.OpType == "Sqrt"));
        addEpsilon.SetInput(1, original.Graph.AddInitializer("epsilons", TensorData.Create<float>([2, 5, 1], new float[10])));

        var (_, report) = PassTester.Run(original, new LayerNormFusion());

        Assert.Empty(report.Applied);
    }
}
