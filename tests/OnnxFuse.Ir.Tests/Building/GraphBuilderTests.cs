using OnnxFuse.Ir.Building;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;

namespace OnnxFuse.Ir.Tests.Building;

public sealed class GraphBuilderTests
{
    [Fact]
    public void Builds_a_conv_model_with_inputs_weights_attributes_and_a_named_output()
    {
        var b = new GraphBuilder(opset: 17);
        var x = b.Input("x", ElementType.Float, 1, 3, 8, 8);
        var w = b.RandomInitializer("w", seed: 7, 4, 3, 3, 3);

        var y = b.Node("Conv", [x, w], Attr.Ints("pads", [1, 1, 1, 1]), Attr.String("auto_pad", "NOTSET"));
        b.Output(y, "y");
        var model = b.Build();

        var conv = Assert.Single(model.Graph.Nodes);
        Assert.Equal("Conv", conv.OpType);
        Assert.Equal([1L, 1, 1, 1], conv.GetInts("pads"));
        Assert.Same(x, conv.Input(0));
        Assert.Equal("y", Assert.Single(model.Graph.Outputs).Name);
        Assert.Equal(17, model.OpsetImports.Default);
        Assert.Equal(new TensorType(ElementType.Float, Shape.Of(1, 3, 8, 8)), x.Type);
        Assert.Equal([4L, 3, 3, 3], w.Initializer!.Dims);
    }

    [Fact]
    public void Random_initializers_with_one_seed_are_equal_and_lie_in_minus_one_to_one()
    {
        var first = new GraphBuilder().RandomInitializer("w", seed: 3, 2, 5);
        var second = new GraphBuilder().RandomInitializer("w", seed: 3, 2, 5);

        var values = first.Initializer!.ToArray<float>();

        Assert.True(first.Initializer.ContentEquals(second.Initializer!));
        Assert.All(values, v => Assert.InRange(v, -1f, 1f));
        Assert.Equal(10, values.Length);
    }

    [Fact]
    public void Symbolic_dimensions_and_scalars_are_accepted_as_input_shapes()
    {
        var b = new GraphBuilder();

        var tokens = b.Input("tokens", ElementType.Int64, Dim.Symbol("batch"), 128);
        var scale = b.Input("scale", ElementType.Float);

        Assert.Equal("batch", tokens.Shape![0].Param);
        Assert.Equal(0, scale.Shape!.Rank);
    }

    [Fact]
    public void Multi_output_nodes_return_every_output_in_order()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", ElementType.Float, 6);

        var parts = b.Node("Split", [x], 3, Attr.Int("axis", 0), Attr.Int("num_outputs", 3));
        b.Outputs([.. parts]);
        var model = b.Build();

        var split = Assert.Single(model.Graph.Nodes);
        Assert.Equal(3, parts.Count);
        Assert.Equal(split.Outputs, parts);
        Assert.Equal(3, parts.Select(p => p.Name).Distinct().Count());
    }

    [Fact]
    public void Nodes_of_a_custom_domain_add_that_domain_to_the_opset_imports()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", ElementType.Float, 4);

        var node = b.AddNode("FastGelu", [x], domain: "com.microsoft", domainVersion: 1, name: "gelu");
        b.Output(node.Output(0));
        var model = b.Build();

        Assert.Equal(1, model.OpsetImports["com.microsoft"]);
        Assert.Equal("gelu", node.Name);
    }

    [Fact]
    public void Subgraph_builders_make_if_branches_that_capture_outer_values()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", ElementType.Float, 4);
        var cond = b.Input("cond", ElementType.Bool);
        var thenBranch = b.Subgraph("then");
        thenBranch.Output(thenBranch.Node("Relu", [x]));
        var elseBranch = b.Subgraph("else");
        elseBranch.Output(elseBranch.Node("Neg", [x]));

        var y = b.Node("If", [cond], Attr.Graph("then_branch", thenBranch.Graph), Attr.Graph("else_branch", elseBranch.Graph));
        b.Output(y);
        var model = b.Build();

        Assert.Same(model.Graph, thenBranch.Graph.Parent);
        Assert.Equal(["Relu", "Neg"], x.Consumers.Select(n => n.OpType));
    }

    [Fact]
    public void Reusing_a_value_name_is_refused()
    {
        var b = new GraphBuilder();
        b.Input("x", ElementType.Float, 4);

        var error = Assert.Throws<InvalidOperationException>(() => b.Input("x", ElementType.Float, 4));

        Assert.Contains("'x'", error.Message, StringComparison.Ordinal);
    }
}
