using OnnxFuse.Compose.Config;
using OnnxFuse.Ir.Building;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;

namespace OnnxFuse.Compose.Tests.Config;

public sealed class InputShapesTests
{
    static Ir.Graphs.Model SymbolicModel()
    {
        var builder = new GraphBuilder(opset: 13);
        var x = builder.Input("x", ElementType.Float, Dim.Symbol("batch"), 8);
        builder.Output(builder.Node("Relu", [x]));
        return builder.Build();
    }

    [Fact]
    public void Symbolic_dims_become_the_configured_sizes()
    {
        var model = SymbolicModel();

        InputShapes.Fix(model, "m", new Dictionary<string, long[]> { ["x"] = [4, 8] });

        Assert.Equal(Shape.Of(4, 8), model.Graph.Inputs[0].Shape);
    }

    [Theory]
    [InlineData("y", new long[] { 4, 8 }, "model 'm' has no input 'y' (inputs: x)")]
    [InlineData("x", new long[] { 4 }, "model 'm': input 'x' has rank 2")]
    [InlineData("x", new long[] { 4, 9 }, "model 'm': input 'x' dim 1 is 8, the config says 9")]
    public void A_shape_that_does_not_fit_the_input_is_refused(string name, long[] dims, string expected)
    {
        var error = Assert.Throws<FusionException>(() => InputShapes.Fix(SymbolicModel(), "m", new Dictionary<string, long[]> { [name] = dims }));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }
}
