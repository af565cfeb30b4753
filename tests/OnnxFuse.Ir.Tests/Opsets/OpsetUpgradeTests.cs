using OnnxFuse.Ir.Building;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Opsets;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Ir.Tests.Opsets;

/// <summary>What <see cref="OpsetUpgrade"/> does to the model around its nodes; the per-operator conversions are tested through model fusion.</summary>
public sealed class OpsetUpgradeTests
{
    static Model Relu(long opset, long irVersion)
    {
        var b = new GraphBuilder(opset);
        b.Output(b.Node("Relu", [b.Input("x", ElementType.Float, 4)]), "y");
        var model = b.Build();
        model.IrVersion = irVersion;
        return model;
    }

    [Theory]
    [InlineData(13, 7, 17, 8)]
    [InlineData(13, 7, 14, 7)]
    [InlineData(13, 9, 17, 9)]
    [InlineData(11, 6, 21, 10)]
    public void The_ir_version_rises_to_the_release_that_brought_the_opset_and_never_falls(long from, long ir, long to, long expectedIr)
    {
        var model = Relu(from, ir);

        OpsetUpgrade.Run(model, to, "relu");

        Assert.Equal(to, model.OpsetImports.Default);
        Assert.Equal(expectedIr, model.IrVersion);
    }

    [Fact]
    public void A_lower_or_equal_target_leaves_the_model_alone()
    {
        var model = Relu(17, 8);

        OpsetUpgrade.Run(model, 13, "relu");

        Assert.Equal(17, model.OpsetImports.Default);
        Assert.Equal(8, model.IrVersion);
    }

    [Fact]
    public void DFT_is_refused_across_opset_20_where_its_axis_became_an_input()
    {
        var b = new GraphBuilder(opset: 17);
        var signal = b.Input("signal", ElementType.Float, 1, 8, 1);
        b.Output(b.AddNode("DFT", [signal], name: "spectrum").Output(0), "y");
        var model = b.Build();

        var error = Assert.Throws<UnsupportedOpException>(() => OpsetUpgrade.Run(model, 20, "audio"));

        Assert.Contains("model 'audio'", error.Message, StringComparison.Ordinal);
        Assert.Contains("spectrum", error.Message, StringComparison.Ordinal);
        Assert.Contains("DFT changed its definition at opset 20", error.Message, StringComparison.Ordinal);
    }
}
