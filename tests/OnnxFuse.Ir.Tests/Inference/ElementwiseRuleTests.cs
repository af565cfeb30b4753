using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Inference;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Ir.Tests.Inference;

public sealed class ElementwiseRuleTests
{
    [Theory]
    [InlineData(new[] { 2, 3, 4 }, new[] { 4 }, "[2,3,4]")]
    [InlineData(new[] { 2, 1, 4 }, new[] { 3, 1 }, "[2,3,4]")]
    [InlineData(new[] { 1 }, new[] { 5, 6 }, "[5,6]")]
    [InlineData(new int[0], new[] { 7 }, "[7]")]
    public void Add_broadcasts_both_ways(int[] left, int[] right, string expected)
    {
        var g = new InferenceGraph();
        var y = g.Node("Add", [g.Input("a", [.. left.Cast<object>()]), g.Input("b", [.. right.Cast<object>()])]);

        g.Infer();

        Assert.Equal(expected, y.Shape!.ToString());
        Assert.Equal(ElementType.Float, y.ElementType);
    }

    [Fact]
    public void Symbolic_dims_broadcast_against_one_and_keep_their_name()
    {
        var g = new InferenceGraph();
        var y = g.Node("Mul", [g.Input("a", "batch", 1, 4), g.Input("b", 3, 1)]);

        g.Infer();

        Assert.Equal("[batch,3,4]", y.Shape!.ToString());
    }

    [Fact]
    public void Comparisons_output_bool_and_where_takes_the_value_type()
    {
        var g = new InferenceGraph();
        var a = g.Input("a", ElementType.Int64, 4);
        var mask = g.Node("Equal", [a, g.Input("b", ElementType.Int64, 1)]);
        var y = g.Node("Where", [mask, g.Input("x", 2, 1), g.Input("z", 4)]);

        g.Infer();

        Assert.Equal(ElementType.Bool, mask.ElementType);
        Assert.Equal(ElementType.Float, y.ElementType);
        Assert.Equal("[2,4]", y.Shape!.ToString());
    }

    [Fact]
    public void Incompatible_shapes_are_reported_and_thrown_on_request()
    {
        var g = new InferenceGraph();
        g.Graph.AddNode("Add", [g.Input("a", 3), g.Input("b", 4)], ["y"], name: "bad_add");

        var report = g.Infer();
        var error = Assert.Throws<ShapeMismatchException>(() => ShapeInference.Run(g.Model, new ShapeInferenceOptions { ThrowOnConflict = true }));

        Assert.Equal("bad_add", Assert.Single(report.Conflicts).NodeName);
        Assert.Contains("'bad_add'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unary_ops_keep_type_and_shape_and_predicates_give_bool()
    {
        var g = new InferenceGraph();
        var x = g.Input("x", "n", 3);
        var relu = g.Node("Relu", [x]);
        var isNan = g.Node("IsNaN", [relu]);
        var dropout = g.NodeWithOutputs("Dropout", [x], 2);

        g.Infer();

        Assert.Equal("[n,3]", relu.Shape!.ToString());
        Assert.Equal(ElementType.Bool, isNan.ElementType);
        Assert.Equal(ElementType.Bool, dropout.Output(1).ElementType);
        Assert.Equal("[n,3]", dropout.Output(1).Shape!.ToString());
    }

    [Fact]
    public void Cast_sets_the_target_element_type()
    {
        var g = new InferenceGraph();
        var y = g.Node("Cast", [g.Input("x", 2, 3)], Attr.Int("to", (long)ElementType.Float16));

        g.Infer();

        Assert.Equal(ElementType.Float16, y.ElementType);
        Assert.Equal("[2,3]", y.Shape!.ToString());
    }
}
