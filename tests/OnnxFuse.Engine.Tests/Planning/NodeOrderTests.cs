using OnnxFuse.Engine.Planning;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;

namespace OnnxFuse.Engine.Tests.Planning;

public sealed class NodeOrderTests
{
    [Fact]
    public void Nodes_listed_out_of_order_are_scheduled_after_their_producers()
    {
        var graph = new Graph("g");
        var x = graph.AddInput("x", new TensorType(ElementType.Float, Shape.Of(2)));
        var relu = graph.AddNode("Relu", [x], ["r"], name: "relu");
        var neg = graph.AddNode("Neg", [relu.Output(0)], ["n"], name: "neg", before: relu);

        var order = NodeOrder.Sort(graph);

        Assert.Equal([relu, neg], order);
    }

    [Fact]
    public void A_node_with_a_subgraph_waits_for_the_values_the_subgraph_captures()
    {
        var graph = new Graph("g");
        var x = graph.AddInput("x", new TensorType(ElementType.Float, Shape.Of(2)));
        var cond = graph.AddInput("c", new TensorType(ElementType.Bool, Shape.Scalar));
        var branch = new Graph("branch");
        var late = graph.AddNode("Relu", [x], ["late"], name: "late");
        branch.Outputs.Add(branch.AddNode("Neg", [late.Output(0)], ["inner"]).Output(0));
        var ifNode = graph.AddNode("If", [cond], ["y"], [Attr.Graph("then_branch", branch), Attr.Graph("else_branch", branch)], name: "if", before: late);

        var order = NodeOrder.Sort(graph);

        Assert.Equal([late, ifNode], order);
    }

    [Fact]
    public void A_cycle_is_reported()
    {
        var graph = new Graph("g");
        var a = graph.AddNode("Relu", [], ["a"], name: "a");
        var b = graph.AddNode("Relu", [a.Output(0)], ["b"], name: "b");
        a.SetInput(0, b.Output(0));

        Assert.Throws<GraphValidationException>(() => NodeOrder.Sort(graph));
    }
}
