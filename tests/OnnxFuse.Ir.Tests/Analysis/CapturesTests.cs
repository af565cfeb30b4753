using OnnxFuse.Ir.Analysis;
using OnnxFuse.Ir.Building;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Ir.Tests.Analysis;

public sealed class CapturesTests
{
    [Fact]
    public void Lists_outer_values_read_by_nested_nodes_and_subgraph_outputs_once_each()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", ElementType.Float, 4);
        var bias = b.Input("bias", ElementType.Float, 4);
        var cond = b.Input("cond", ElementType.Bool);
        var thenBranch = b.Subgraph("then");
        var local = thenBranch.Node("Relu", [x]);
        thenBranch.Output(thenBranch.Node("Add", [local, x]));
        var elseBranch = b.Subgraph("else");
        elseBranch.Output(bias);
        var ifNode = b.AddNode("If", [cond], attributes: [Attr.Graph("then_branch", thenBranch.Graph), Attr.Graph("else_branch", elseBranch.Graph)]);

        var captures = Captures.Of(ifNode);

        Assert.Equal([x, bias], captures);
        Assert.Equal([x], Captures.Of(thenBranch.Graph));
    }
}
