using OnnxFuse.Ir.Building;
using OnnxFuse.Ir.Editing;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Ir.Tests.Editing;

public sealed class ToposortTests
{
    [Fact]
    public void A_sorted_graph_keeps_its_order()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", ElementType.Float, 4);
        var left = b.Node("Relu", [x]);
        var right = b.Node("Neg", [x]);
        b.Output(b.Node("Add", [left, right]));
        var before = b.Graph.Nodes.ToList();

        Toposort.Sort(b.Graph);

        Assert.Equal(before, b.Graph.Nodes);
        Assert.True(Toposort.IsSorted(b.Graph));
    }

    [Fact]
    public void An_unsorted_graph_is_sorted_moving_only_what_must_move()
    {
        var graph = new Graph("g");
        var x = graph.AddInput("x");
        var independent = graph.AddNode("Neg", [x], ["n"], name: "independent");
        var producer = graph.AddNode("Relu", [x], ["r"], name: "producer");
        graph.AddNode("Sigmoid", [producer.Output(0)], ["s"], name: "reader", before: independent);

        Toposort.Sort(graph);

        Assert.Equal(["independent", "producer", "reader"], graph.Nodes.Select(n => n.Name));
    }

    [Fact]
    public void A_node_holding_a_subgraph_runs_after_the_producers_of_values_it_captures()
    {
        var graph = new Graph("g");
        var x = graph.AddInput("x");
        var cond = graph.AddInput("cond");
        var producer = graph.AddNode("Neg", [x], ["captured"], name: "producer");
        var thenBranch = new Graph("then");
        thenBranch.Outputs.Add(thenBranch.AddNode("Relu", [producer.Output(0)], ["inner"]).Output(0));
        var elseBranch = new Graph("else");
        elseBranch.Outputs.Add(x);
        graph.AddNode("If", [cond], ["y"], [Attr.Graph("then_branch", thenBranch), Attr.Graph("else_branch", elseBranch)], name: "if", before: producer);

        Toposort.Sort(graph);

        Assert.Equal(["producer", "if"], graph.Nodes.Select(n => n.Name));
    }

    [Fact]
    public void Subgraphs_are_sorted_too()
    {
        var graph = new Graph("g");
        var cond = graph.AddInput("cond");
        var branch = new Graph("branch");
        var a = branch.AddInput("a");
        var producer = branch.AddNode("Relu", [a], ["r"], name: "inner_producer");
        branch.AddNode("Neg", [producer.Output(0)], ["n"], name: "inner_reader", before: producer);
        graph.AddNode("Loop", [null, cond], [], [Attr.Graph("body", branch)]);

        Toposort.Sort(graph);

        Assert.Equal(["inner_producer", "inner_reader"], branch.Nodes.Select(n => n.Name));
    }

    [Fact]
    public void A_cycle_throws_naming_every_node_on_it()
    {
        var graph = new Graph("g");
        var x = graph.AddInput("x");
        var first = graph.AddNode("Relu", [x], ["a"], name: "first");
        var second = graph.AddNode("Neg", [first.Output(0)], ["b"], name: "second");
        first.SetInput(0, second.Output(0));

        var error = Assert.Throws<GraphValidationException>(() => Toposort.Sort(graph));

        Assert.Contains("'first' (Relu)", error.Message, StringComparison.Ordinal);
        Assert.Contains("'second' (Neg)", error.Message, StringComparison.Ordinal);
        Assert.Null(Toposort.TryOrder(graph));
    }
}
