using OnnxFuse.Ir.Building;
using OnnxFuse.Ir.Editing;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Validation;

namespace OnnxFuse.Ir.Tests.Editing;

public sealed class DeadCodeEliminationTests
{
    [Fact]
    public void Removes_unread_nodes_and_initializers_and_counts_them()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", ElementType.Float, 2);
        var unused = b.Input("unused", ElementType.Float, 2);
        var weight = b.Initializer("weight", TensorData.Create<float>([2], [1f, 2f]));
        var deadSum = b.Node("Add", [x, weight]);
        b.Node("Relu", [deadSum]);
        b.Output(b.Node("Neg", [x]));
        var model = b.Build();

        var result = DeadCodeElimination.Run(model.Graph);

        Assert.Equal(new DeadCodeElimination.Result(RemovedNodes: 2, RemovedInitializers: 1), result);
        Assert.Equal("Neg", Assert.Single(model.Graph.Nodes).OpType);
        Assert.Empty(model.Graph.Initializers);
        Assert.DoesNotContain(x.Uses, u => u.Node.OpType != "Neg");
        Assert.Contains(unused, model.Graph.Inputs);
        Assert.Empty(GraphVerifier.Validate(model));
    }

    [Fact]
    public void Keeps_nodes_whose_outputs_a_live_subgraph_captures()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", ElementType.Float, 2);
        var cond = b.Input("cond", ElementType.Bool);
        var captured = b.Node("Relu", [x]);
        var thenBranch = b.Subgraph("then");
        thenBranch.Output(thenBranch.Node("Neg", [captured]));
        var elseBranch = b.Subgraph("else");
        elseBranch.Output(captured);
        b.Output(b.Node("If", [cond], Attr.Graph("then_branch", thenBranch.Graph), Attr.Graph("else_branch", elseBranch.Graph)));
        var model = b.Build();

        var result = DeadCodeElimination.Run(model.Graph);

        Assert.Equal(0, result.RemovedNodes);
        Assert.Equal(["Relu", "If"], model.Graph.Nodes.Select(n => n.OpType));
    }

    [Fact]
    public void Removes_dead_nodes_inside_live_subgraphs_and_the_outer_nodes_only_they_read()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", ElementType.Float, 2);
        var cond = b.Input("cond", ElementType.Bool);
        var onlyReadByDeadInnerNode = b.Node("Sigmoid", [x]);
        var thenBranch = b.Subgraph("then");
        thenBranch.Node("Tanh", [onlyReadByDeadInnerNode]);
        thenBranch.Output(thenBranch.Node("Neg", [x]));
        var elseBranch = b.Subgraph("else");
        elseBranch.Output(x);
        b.Output(b.Node("If", [cond], Attr.Graph("then_branch", thenBranch.Graph), Attr.Graph("else_branch", elseBranch.Graph)));
        var model = b.Build();

        var result = DeadCodeElimination.Run(model.Graph);

        Assert.Equal(2, result.RemovedNodes);
        Assert.Equal("If", Assert.Single(model.Graph.Nodes).OpType);
        Assert.Equal("Neg", Assert.Single(thenBranch.Graph.Nodes).OpType);
        Assert.Empty(GraphVerifier.Validate(model));
    }

    [Fact]
    public void Removes_a_dead_if_node_and_the_outer_producers_its_branches_captured()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", ElementType.Float, 2);
        var cond = b.Input("cond", ElementType.Bool);
        var captured = b.Node("Relu", [x]);
        var thenBranch = b.Subgraph("then");
        thenBranch.Output(thenBranch.Node("Neg", [captured]));
        var elseBranch = b.Subgraph("else");
        elseBranch.Output(captured);
        b.Node("If", [cond], Attr.Graph("then_branch", thenBranch.Graph), Attr.Graph("else_branch", elseBranch.Graph));
        b.Output(b.Node("Abs", [x]));
        var model = b.Build();

        var result = DeadCodeElimination.Run(model.Graph);

        Assert.Equal(2, result.RemovedNodes);
        Assert.Equal("Abs", Assert.Single(model.Graph.Nodes).OpType);
        Assert.Equal("Abs", Assert.Single(x.Uses).Node.OpType);
        Assert.Empty(GraphVerifier.Validate(model));
    }
}
