using OnnxFuse.Ir.Building;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Passes.Rewriting;
using OnnxFuse.Passes.Tests.Fusions;

namespace OnnxFuse.Passes.Tests.Rewriting;

/// <summary>
/// <see cref="OptimizerOptions.Opset"/>: the model is raised to the opset before the passes run. Oracle for outputs:
/// the original model on the managed engine and on ONNX Runtime; rtol 1e-4, atol 1e-5.
/// </summary>
public sealed class OptimizerOpsetTests
{
    /// <summary>x[2,5,16] + skip → decomposed layer normalization → Softmax → y, at <paramref name="opset"/>.</summary>
    static Model ResidualLayerNorm(long opset, long irVersion = 7)
    {
        var b = new GraphBuilder(opset);
        var x = b.Input("x", ElementType.Float, 2, 5, 16);
        var sum = b.Node("Add", [x, b.RandomInitializer("skip", 5, 2, 5, 16)]);
        var normalized = NormalizationGraphs.DecomposedLayerNorm(b, sum, 16, opset, new LayerNormForm());
        b.Output(b.Node("Softmax", [normalized]), "y");
        var model = b.Build();
        model.IrVersion = irVersion;
        return model;
    }

    static OptimizerOptions Options(long? opset) => new() { Opset = opset, Patterns = ["layernorm", "skip-layernorm"] };

    [Fact]
    public void Raising_opset_13_to_17_lets_the_chain_become_a_standard_LayerNormalization()
    {
        var original = ResidualLayerNorm(13);

        var result = Optimizer.Optimize(original, Options(17));

        Assert.Equal(["Add", "LayerNormalization", "Softmax"], PassTester.OpTypes(result.Model));
        Assert.Equal(17, result.Model.OpsetImports.Default);
        Assert.Equal(8, result.Model.IrVersion);
        Assert.Equal(13, original.OpsetImports.Default);
        PassTester.AssertSameOutputs(original, result.Model, seed: 5);
    }

    [Fact]
    public void Without_an_opset_the_model_keeps_opset_13_and_gets_SkipLayerNormalization()
    {
        var result = Optimizer.Optimize(ResidualLayerNorm(13), Options(null));

        Assert.Equal(["com.microsoft.SkipLayerNormalization", "Softmax"], PassTester.OpTypes(result.Model));
        Assert.Equal(13, result.Model.OpsetImports.Default);
        Assert.Equal(7, result.Model.IrVersion);
    }

    [Fact]
    public void Analyze_with_an_opset_lists_what_the_raised_model_offers_and_leaves_the_model_unchanged()
    {
        var original = ResidualLayerNorm(13);

        var opportunities = Optimizer.Analyze(original, Options(17));

        Assert.Equal(["layernorm"], opportunities.Select(o => o.Pattern).Distinct());
        Assert.Equal(13, original.OpsetImports.Default);
        Assert.Contains(original.Graph.Nodes, n => n.OpType == "ReduceMean");
    }

    [Fact]
    public void The_model_opset_itself_changes_nothing()
    {
        var result = Optimizer.Optimize(ResidualLayerNorm(17, irVersion: 8), Options(17));

        Assert.Equal(["Add", "LayerNormalization", "Softmax"], PassTester.OpTypes(result.Model));
        Assert.Equal(17, result.Model.OpsetImports.Default);
    }

    [Fact]
    public void A_lower_opset_is_refused_naming_both_versions()
    {
        var error = Assert.Throws<PassSelectionException>(() => Optimizer.Optimize(ResidualLayerNorm(17, irVersion: 8), Options(13)));

        Assert.Equal("opset 13 is below the model's opset 17: optimize raises a model's opset, never lowers it", error.Message);
    }

    [Fact]
    public void An_opset_newer_than_the_checked_conversions_is_refused()
    {
        var error = Assert.Throws<PassSelectionException>(() => Optimizer.Optimize(ResidualLayerNorm(13), Options(22)));

        Assert.Contains("opset 22 is newer than opset 21", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_node_whose_definition_changed_is_refused_by_name()
    {
        var b = new GraphBuilder(opset: 13);
        var x = b.Input("x", ElementType.Float, 1, 1, 4, 4);
        var rois = b.Initializer("rois", TensorData.Create<float>([1, 4], [0, 0, 2, 2]));
        var batch = b.Initializer("batch", TensorData.Create<long>([1], [0]));
        b.Output(b.AddNode("RoiAlign", [x, rois, batch], name: "align").Output(0), "y");

        var error = Assert.Throws<UnsupportedOpException>(() => Optimizer.Optimize(b.Build(), Options(17)));

        Assert.Contains("align", error.Message, StringComparison.Ordinal);
        Assert.Contains("RoiAlign changed its definition at opset 16", error.Message, StringComparison.Ordinal);
    }
}
