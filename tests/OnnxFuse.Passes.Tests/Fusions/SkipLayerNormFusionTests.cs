using OnnxFuse.Ir.Building;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;
using OnnxFuse.Passes.Fusions;
using OnnxFuse.Passes.Rewriting;

namespace OnnxFuse.Passes.Tests.Fusions;

/// <summary>Oracle: the unfused model on the managed engine and on ONNX Runtime; rtol 1e-4, atol 1e-5.</summary>
public sealed class SkipLayerNormFusionTests
{
    const long Hidden = 16;
    const string SkipLayerNorm = "com.microsoft.SkipLayerNormalization";

    /// <summary>
    /// input[2,5,16] + skip → layer normalization (LayerNormalization at opset ≥ 17, else the decomposed chain) → y.
    /// <paramref name="sumReader"/> adds a Relu of the sum as a second output.
    /// </summary>
    static Model Residual(long opset, Dim[]? skipDims = null, bool sumReader = false, bool sumIsOutput = false, bool decomposed = false)
    {
        var b = new GraphBuilder(opset);
        var input = b.Input("input", ElementType.Float, 2, 5, Hidden);
        var skip = b.Input("skip", ElementType.Float, skipDims ?? [2, 5, Hidden]);
        var sum = b.Node("Add", [input, skip]);
        b.Output(Normalize(b, sum, opset, decomposed), "y");
        if (sumReader)
            b.Output(b.Node("Relu", [sum]), "side");
        if (sumIsOutput)
            b.Output(sum, "sum");
        return b.Build();
    }

    static Value Normalize(GraphBuilder b, Value x, long opset, bool decomposed) => opset >= 17 && !decomposed
        ? b.Node("LayerNormalization", [x, NormalizationGraphs.Vector(b, "gamma", 1, Hidden), NormalizationGraphs.Vector(b, "beta", 2, Hidden)],
            Attr.Float("epsilon", 1e-3f))
        : NormalizationGraphs.DecomposedLayerNorm(b, x, Hidden, opset, new LayerNormForm { Epsilon = 1e-3f });

    [Theory]
    [InlineData(13)]
    [InlineData(16)]
    public void Fuses_the_residual_add_and_the_normalization(long opset)
    {
        var original = Residual(opset);

        var (fused, report) = PassTester.Run(original, new SkipLayerNormFusion());

        Assert.Single(report.Applied);
        Assert.Equal([SkipLayerNorm], PassTester.OpTypes(fused));
        var node = fused.Graph.Nodes[0];
        Assert.Equal(1e-3f, node.GetFloat("epsilon", 0f));
        Assert.Single(node.Outputs);
        Assert.Equal("y", fused.Graph.Outputs[0].Name);
        PassTester.AssertSameOutputs(original, fused, seed: 3);
    }

    [Theory]
    [InlineData(17, false)]
    [InlineData(17, true)]
    [InlineData(18, true)]
    public void Leaves_opset_17_and_later_to_the_standard_LayerNormalization_and_the_add(long opset, bool decomposed)
    {
        var (_, report) = PassTester.Run(Residual(opset, decomposed: decomposed), new SkipLayerNormFusion());

        Assert.Empty(report.Applied);
    }

    [Theory]
    [InlineData(16)]
    [InlineData(13)]
    public void Gives_the_sum_to_its_other_readers_through_the_fourth_output(long opset)
    {
        var original = Residual(opset, sumReader: true);

        var (fused, report) = PassTester.Run(original, new SkipLayerNormFusion());

        Assert.Single(report.Applied);
        Assert.Equal([SkipLayerNorm, "Relu"], PassTester.OpTypes(fused));
        var node = fused.Graph.Nodes[0];
        Assert.Equal(4, node.Outputs.Count);
        Assert.Same(node.Output(3), fused.Graph.Nodes[1].Input(0));
        PassTester.AssertSameOutputs(original, fused, seed: 4);
    }

    [Fact]
    public void Keeps_the_name_of_a_sum_that_is_a_graph_output()
    {
        var original = Residual(16, sumIsOutput: true);

        var (fused, report) = PassTester.Run(original, new SkipLayerNormFusion());

        Assert.Single(report.Applied);
        Assert.Equal([SkipLayerNorm], PassTester.OpTypes(fused));
        Assert.Equal(["y", "sum"], fused.Graph.Outputs.Select(o => o.Name));
        PassTester.AssertSameOutputs(original, fused, seed: 5);
    }

    public static TheoryData<long[]> BroadcastSkips => new() { new long[] { 1, 5, Hidden }, new long[] { 5, Hidden } };

    [Theory]
    [MemberData(nameof(BroadcastSkips))]
    public void Fuses_a_skip_broadcast_over_the_batch(long[] skipDims)
    {
        var original = Residual(16, [.. skipDims.Select(Dim.Of)]);

        var (fused, report) = PassTester.Run(original, new SkipLayerNormFusion());

        Assert.Single(report.Applied);
        var node = Assert.Single(fused.Graph.Nodes);
        Assert.Equal("input", node.Input(0).Name);
        Assert.Equal("skip", node.Input(1).Name);
        PassTester.AssertSameOutputs(original, fused, seed: 6);
    }

    [Theory]
    [InlineData(16)]
    [InlineData(13)]
    public void Moves_the_bias_of_the_projection_before_the_residual_into_the_bias_input(long opset)
    {
        var b = new GraphBuilder(opset);
        var x = b.Input("x", ElementType.Float, 2, 5, 8);
        var residual = b.Input("residual", ElementType.Float, 2, 5, Hidden);
        var projected = b.Node("MatMul", [x, b.RandomInitializer("w", 7, 8, Hidden)]);
        var biased = b.Node("Add", [NormalizationGraphs.Vector(b, "bias", 8, Hidden), projected]);
        b.Output(Normalize(b, b.Node("Add", [biased, residual]), opset, decomposed: false), "y");
        var original = b.Build();

        var (fused, report) = PassTester.Run(original, new SkipLayerNormFusion());

        Assert.Single(report.Applied);
        Assert.Equal(["MatMul", SkipLayerNorm], PassTester.OpTypes(fused));
        var node = fused.Graph.Nodes[1];
        Assert.Equal(5, node.Inputs.Count);
        Assert.Equal("bias_8", node.Input(4).Name);
        PassTester.AssertSameOutputs(original, fused, seed: 7);
    }

    [Fact]
    public void Does_not_match_when_only_standard_ops_may_be_emitted()
    {
        var original = Residual(16);

        var (_, report) = PassTester.Run(original, new OptimizerOptions { StandardOnly = true }, new SkipLayerNormFusion());

        Assert.Empty(report.Applied);
    }

    public static TheoryData<long[]> UnsupportedSkips => new() { new long[] { 2, 1, Hidden }, new long[] { Hidden } };

    [Theory]
    [MemberData(nameof(UnsupportedSkips))]
    public void Leaves_skips_broadcast_in_ways_SkipLayerNormalization_does_not_accept_alone(long[] skipDims)
    {
        var original = Residual(16, [.. skipDims.Select(Dim.Of)]);

        var (_, report) = PassTester.Run(original, new SkipLayerNormFusion());

        Assert.Empty(report.Applied);
    }

    [Fact]
    public void Leaves_a_four_dimensional_input_alone()
    {
        var b = new GraphBuilder(16);
        var input = b.Input("input", ElementType.Float, 1, 2, 5, Hidden);
        var skip = b.Input("skip", ElementType.Float, 1, 2, 5, Hidden);
        b.Output(Normalize(b, b.Node("Add", [input, skip]), 16, decomposed: false), "y");

        var (_, report) = PassTester.Run(b.Build(), new SkipLayerNormFusion());

        Assert.Empty(report.Applied);
    }
}
