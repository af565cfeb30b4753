using OnnxFuse.Ir.Building;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Ir.Tests;

public sealed class ValueTests
{
    [Fact]
    public void Renaming_to_a_name_an_enclosing_graph_declares_is_refused()
    {
        var (main, branch) = MainWithBranch();
        var inner = branch.Nodes[0].Output(0);

        var error = Assert.Throws<InvalidOperationException>(() => inner.Name = "x");

        Assert.Contains("enclosing graph 'main'", error.Message, StringComparison.Ordinal);
        Assert.Same(inner, branch.FindDeclared(inner.Name));
        Assert.NotNull(main.FindDeclared("x"));
    }

    [Fact]
    public void Renaming_to_a_name_a_nested_subgraph_declares_is_refused()
    {
        var (main, branch) = MainWithBranch();
        var x = main.FindDeclared("x")!;
        var innerName = branch.Nodes[0].Output(0).Name;

        var error = Assert.Throws<InvalidOperationException>(() => x.Name = innerName);

        Assert.Contains("nested graph 'then'", error.Message, StringComparison.Ordinal);
        Assert.Equal("x", x.Name);
    }

    [Fact]
    public void Renaming_to_a_name_declared_only_in_a_sibling_branch_is_allowed()
    {
        var (main, branch) = MainWithBranch();
        var sibling = main.Nodes[0].FindAttr("else_branch")!.AsGraph();
        var elseValue = sibling.Nodes[0].Output(0);

        elseValue.Name = branch.Nodes[0].Output(0).Name;

        Assert.Same(elseValue, sibling.FindDeclared(elseValue.Name));
    }

    static (Graph Main, Graph Then) MainWithBranch()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", ElementType.Float, 4);
        var cond = b.Input("cond", ElementType.Bool);
        var thenBranch = b.Subgraph("then");
        thenBranch.Output(thenBranch.Node("Relu", [x]));
        var elseBranch = b.Subgraph("else");
        elseBranch.Output(elseBranch.Node("Neg", [x]));
        b.Output(b.Node("If", [cond], Attr.Graph("then_branch", thenBranch.Graph), Attr.Graph("else_branch", elseBranch.Graph)));
        return (b.Build().Graph, thenBranch.Graph);
    }
}
