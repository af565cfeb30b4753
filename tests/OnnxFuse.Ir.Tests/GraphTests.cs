using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;

namespace OnnxFuse.Ir.Tests;

public sealed class GraphTests
{
    static readonly TensorType s_float4 = new(ElementType.Float, Shape.Of(4));

    [Fact]
    public void Adding_a_node_records_its_producer_and_the_uses_of_its_inputs()
    {
        var graph = new Graph("g");
        var x = graph.AddInput("x", s_float4);
        var relu = graph.AddNode("Relu", [x], ["y"]);

        Assert.Same(relu, relu.Output(0).Producer);
        Assert.Equal(new Use(relu, 0), Assert.Single(x.Uses));
    }

    [Fact]
    public void Replacing_all_uses_moves_readers_and_graph_outputs_to_the_new_value()
    {
        var graph = new Graph("g");
        var x = graph.AddInput("x", s_float4);
        var identity = graph.AddNode("Identity", [x], ["id"]);
        var relu = graph.AddNode("Relu", [identity.Output(0)], ["y"]);
        graph.Outputs.Add(identity.Output(0));

        identity.Output(0).ReplaceAllUsesWith(x);
        graph.RemoveNode(identity);

        Assert.Same(x, relu.Input(0));
        Assert.Same(x, Assert.Single(graph.Outputs));
        Assert.Null(graph.FindDeclared("id"));
        Assert.Equal(new Use(relu, 0), Assert.Single(x.Uses));
    }

    [Fact]
    public void Removing_a_node_whose_output_is_still_read_is_refused_naming_the_reader()
    {
        var graph = new Graph("g");
        var x = graph.AddInput("x", s_float4);
        var first = graph.AddNode("Relu", [x], ["a"], name: "first");
        graph.AddNode("Relu", [first.Output(0)], ["b"], name: "second");

        var error = Assert.Throws<InvalidOperationException>(() => graph.RemoveNode(first));

        Assert.Contains("'second'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Renaming_a_value_renames_it_for_every_reader_including_subgraphs()
    {
        var graph = new Graph("main");
        var x = graph.AddInput("x", s_float4);
        var cond = graph.AddInput("cond", new TensorType(ElementType.Bool, Shape.Scalar));
        var branch = new Graph("then");
        var inner = branch.AddNode("Relu", [x], ["inner_y"]);
        branch.Outputs.Add(inner.Output(0));
        graph.AddNode("If", [cond], ["y"], [Attr.Graph("then_branch", branch), Attr.Graph("else_branch", new Graph("else"))]);

        x.Name = "renamed";

        Assert.Equal("renamed", inner.Input(0).Name);
        Assert.Same(x, graph.FindDeclared("renamed"));
        Assert.Null(graph.FindDeclared("x"));
        Assert.Same(x, branch.FindValue("renamed"));
    }

    [Fact]
    public void An_initializer_that_is_also_an_input_is_a_default_not_a_constant()
    {
        var graph = new Graph("g");
        var data = TensorData.Create<float>([2], [1f, 2f]);
        var weight = graph.AddInitializer("w", data);
        var overridable = graph.AddInitializer("d", data);
        graph.AddInput("d");

        Assert.True(weight.IsConstant);
        Assert.False(overridable.IsConstant);
        Assert.True(overridable.IsInitializer);
    }

    [Fact]
    public void Removing_a_node_with_a_subgraph_releases_the_outer_values_it_captured()
    {
        var graph = new Graph("g");
        var x = graph.AddInput("x", s_float4);
        var cond = graph.AddInput("cond", new TensorType(ElementType.Bool, Shape.Scalar));
        var branch = new Graph("then");
        branch.Outputs.Add(branch.AddNode("Relu", [x], ["inner_y"]).Output(0));
        var ifNode = graph.AddNode("If", [cond], ["y"], [Attr.Graph("then_branch", branch), Attr.Graph("else_branch", new Graph("else"))]);

        graph.RemoveNode(ifNode);

        Assert.Empty(x.Uses);
        Assert.Empty(cond.Uses);
    }
}
