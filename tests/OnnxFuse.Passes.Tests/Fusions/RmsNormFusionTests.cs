using OnnxFuse.Ir.Building;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Passes.Fusions;
using OnnxFuse.Passes.Rewriting;

namespace OnnxFuse.Passes.Tests.Fusions;

/// <summary>
/// Oracle: the unfused model on the same target, managed engine and ONNX Runtime (rtol 1e-4, atol 1e-5).
/// </summary>
public sealed class RmsNormFusionTests
{
    const long Hidden = 16;

    public enum Inversion { Div, Reciprocal, OneOver }

    /// <summary>x[2,5,16] → x · 1/√(mean(x²) + ε) · γ → y.</summary>
    static Model RmsNorm(Inversion inversion, bool squareWithMul = false, bool scaleFirst = false, bool withScale = true, long opset = 17, long axis = -1)
    {
        var b = new GraphBuilder(opset);
        var x = b.Input("x", ElementType.Float, 2, 5, Hidden);
        var squared = squareWithMul ? b.Node("Mul", [x, x]) : b.Node("Pow", [x, b.Constant(TensorData.Scalar(2f))]);
        var meanSquare = NormalizationGraphs.ReduceMean(b, squared, axis, opset);
        var root = b.Node("Sqrt", [b.Node("Add", [meanSquare, b.Constant(TensorData.Scalar(1e-6f))])]);
        var normalized = inversion switch
        {
            Inversion.Div => b.Node("Div", [x, root]),
            Inversion.Reciprocal => b.Node("Mul", [b.Node("Reciprocal", [root]), x]),
            _ => b.Node("Mul", [x, b.Node("Div", [b.Constant(TensorData.Scalar(1f)), root])]),
        };
        if (withScale)
        {
            var gamma = NormalizationGraphs.Vector(b, "gamma", 3, Hidden);
            normalized = b.Node("Mul", scaleFirst ? [gamma, normalized] : [normalized, gamma]);
        }
        b.Output(normalized, "y");
        return b.Build();
    }

    [Theory]
    [InlineData(Inversion.Div, false, false, 17)]
    [InlineData(Inversion.Reciprocal, true, true, 17)]
    [InlineData(Inversion.OneOver, false, true, 13)]
    [InlineData(Inversion.Reciprocal, false, false, 18)]
    public void Fuses_every_form_into_SimplifiedLayerNormalization(Inversion inversion, bool squareWithMul, bool scaleFirst, long opset)
    {
        var original = RmsNorm(inversion, squareWithMul, scaleFirst, opset: opset);

        var (fused, report) = PassTester.Run(original, new RmsNormFusion());

        Assert.Single(report.Applied);
        Assert.Equal(["SimplifiedLayerNormalization"], PassTester.OpTypes(fused));
        Assert.Equal(1e-6f, fused.Graph.Nodes[0].GetFloat("epsilon", 0f));
        Assert.Equal("[2,5,16]", fused.Graph.Nodes[0].Output(0).Shape?.ToString());
        Assert.Equal("y", fused.Graph.Outputs[0].Name);
        PassTester.AssertSameOutputs(original, fused, seed: 3);
    }

    [Fact]
    public void Writes_out_a_unit_scale_when_there_is_none()
    {
        var original = RmsNorm(Inversion.Div, withScale: false);

        var (fused, report) = PassTester.Run(original, new RmsNormFusion());

        Assert.Single(report.Applied);
        Assert.Equal(["SimplifiedLayerNormalization"], PassTester.OpTypes(fused));
        PassTester.AssertSameOutputs(original, fused, seed: 4);
    }

    [Fact]
    public void Does_not_match_when_only_standard_ops_may_be_emitted()
    {
        var original = RmsNorm(Inversion.Div);

        var (_, report) = PassTester.Run(original, new OptimizerOptions { StandardOnly = true }, new RmsNormFusion());

        Assert.Empty(report.Applied);
    }

    [Fact]
    public void Leaves_a_mean_over_another_axis_alone()
    {
        var original = RmsNorm(Inversion.Div, axis: 1);

        var (_, report) = PassTester.Run(original, new RmsNormFusion());

        Assert.Empty(report.Applied);
    }

    [Fact]
    public void Leaves_the_chain_alone_when_the_root_mean_square_has_a_second_reader()
    {
        var original = RmsNorm(Inversion.Reciprocal);
        var sqrt = original.Graph.Nodes.Single(n => n.OpType == "Sqrt");
        original.Graph.Outputs.Add(sqrt.Output(0));

        var (_, report) = PassTester.Run(original, new RmsNormFusion());

        Assert.Empty(report.Applied);
    }

    [Fact]
    public void Leaves_the_chain_alone_when_it_divides_another_value()
    {
        var b = new GraphBuilder(17);
        var x = b.Input("x", ElementType.Float, 2, 5, Hidden);
        var other = b.Input("other", ElementType.Float, 2, 5, Hidden);
        var meanSquare = NormalizationGraphs.ReduceMean(b, b.Node("Mul", [x, x]), -1, 17);
        var root = b.Node("Sqrt", [b.Node("Add", [meanSquare, b.Constant(TensorData.Scalar(1e-6f))])]);
        b.Output(b.Node("Div", [other, root]), "y");

        var (_, report) = PassTester.Run(b.Build(), new RmsNormFusion());

        Assert.Empty(report.Applied);
    }
}
