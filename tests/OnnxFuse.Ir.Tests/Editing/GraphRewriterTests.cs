using OnnxFuse.Ir.Building;
using OnnxFuse.Ir.Editing;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Validation;

namespace OnnxFuse.Ir.Tests.Editing;

public sealed class GraphRewriterTests
{
    [Fact]
    public void Replacing_a_node_keeps_its_output_values_readers_and_name()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", ElementType.Float, 4);
        var relu = b.AddNode("Relu", [x], name: "act");
        var neg = b.Node("Neg", [relu.Output(0)]);
        b.Output(neg);
        var model = b.Build();
        var output = relu.Output(0);

        var gelu = GraphRewriter.ReplaceNode(relu, "Gelu", [x], [Attr.String("approximate", "tanh")]);

        Assert.Same(gelu, output.Producer);
        Assert.Equal("act", gelu.Name);
        Assert.Equal(["Gelu", "Neg"], model.Graph.Nodes.Select(n => n.OpType));
        Assert.Same(output, neg.Producer!.Input(0));
        Assert.Single(x.Uses);
        Assert.Empty(GraphVerifier.Validate(model));
    }

    [Fact]
    public void Bypassing_a_node_points_its_readers_to_the_replacement()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", ElementType.Float, 4);
        var identity = b.Node("Identity", [x]);
        var relu = b.Node("Relu", [identity]);
        b.Output(relu);
        var model = b.Build();

        GraphRewriter.Bypass(identity.Producer!, x);

        Assert.Equal("Relu", Assert.Single(model.Graph.Nodes).OpType);
        Assert.Same(x, relu.Producer!.Input(0));
        Assert.Empty(GraphVerifier.Validate(model));
    }

    [Fact]
    public void Bypassing_gives_an_untyped_replacement_the_type_of_the_value_it_replaces()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", ElementType.Float, 4);
        var relu = b.Node("Relu", [x]);
        b.Output(b.Node("Neg", [relu]));
        var model = b.Build();
        relu.Type = x.Type;
        var sigmoid = model.Graph.AddNode("Sigmoid", [x], ["s"]).Output(0);
        Assert.Null(sigmoid.Type);

        GraphRewriter.Bypass(relu.Producer!, sigmoid);

        Assert.Equal(x.Type!.ToString(), sigmoid.Type?.ToString());
    }

    [Fact]
    public void Bypassing_the_producer_of_a_graph_output_keeps_the_output_name()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", ElementType.Float, 4);
        var relu = b.Node("Relu", [x]);
        var identity = b.Node("Identity", [relu]);
        b.Output(identity, "y");
        var model = b.Build();

        GraphRewriter.Bypass(identity.Producer!, relu);

        Assert.Same(relu, Assert.Single(model.Graph.Outputs));
        Assert.Equal("y", relu.Name);
        Assert.Empty(GraphVerifier.Validate(model));
    }

    [Fact]
    public void Bypassing_onto_a_graph_input_that_would_rename_an_output_is_refused()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", ElementType.Float, 4);
        var identity = b.Node("Identity", [x]);
        b.Output(identity, "y");
        var model = b.Build();

        var error = Assert.Throws<InvalidOperationException>(() => GraphRewriter.Bypass(identity.Producer!, x));

        Assert.Contains("'y'", error.Message, StringComparison.Ordinal);
        Assert.Equal(2, model.Graph.Nodes.Count + model.Graph.Outputs.Count);
    }

    [Fact]
    public void Inserting_before_and_after_an_anchor_places_the_nodes_next_to_it()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", ElementType.Float, 4);
        var anchor = b.AddNode("Relu", [x]);
        b.Output(b.Node("Neg", [anchor.Output(0)]));

        GraphRewriter.InsertBefore(anchor, "Abs", [x], ["abs"]);
        GraphRewriter.InsertAfter(anchor, "Sigmoid", [anchor.Output(0)], ["sig"]);

        Assert.Equal(["Abs", "Relu", "Sigmoid", "Neg"], b.Graph.Nodes.Select(n => n.OpType));
    }

    [Fact]
    public void Inserting_on_an_edge_reroutes_readers_and_keeps_the_graph_output_name()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", ElementType.Float, 4);
        var relu = b.Node("Relu", [x]);
        var neg = b.Node("Neg", [relu]);
        b.Output(relu, "y");
        b.Output(neg);
        var model = b.Build();

        var cast = GraphRewriter.InsertOnEdge(relu, "Cast", attributes: [Attr.Int("to", 10)]);

        Assert.Same(relu, cast.Input(0));
        Assert.Same(cast.Output(0), neg.Producer!.Input(0));
        Assert.Same(cast.Output(0), model.Graph.Outputs[0]);
        Assert.Equal("y", cast.Output(0).Name);
        Assert.Equal(["Relu", "Cast", "Neg"], model.Graph.Nodes.Select(n => n.OpType));
        Assert.Empty(GraphVerifier.Validate(model));
    }
}
