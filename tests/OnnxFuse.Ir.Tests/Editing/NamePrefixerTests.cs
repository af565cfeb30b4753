using OnnxFuse.Ir.Building;
using OnnxFuse.Ir.Editing;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;
using OnnxFuse.Ir.Validation;

namespace OnnxFuse.Ir.Tests.Editing;

public sealed class NamePrefixerTests
{
    [Fact]
    public void Prefixes_values_nodes_and_graph_names_including_subgraphs()
    {
        var model = ModelWithBranch();

        NamePrefixer.Prefix(model, "m1_");

        var graph = model.Graph;
        Assert.Equal("m1_main", graph.Name);
        Assert.Equal(["m1_x", "m1_cond"], graph.Inputs.Select(v => v.Name));
        Assert.All(graph.AllNodes(), n => Assert.StartsWith("m1_", n.Name, StringComparison.Ordinal));
        Assert.All(graph.SelfAndDescendants().SelectMany(g => g.DeclaredValues), v => Assert.StartsWith("m1_", v.Name, StringComparison.Ordinal));
        Assert.All(graph.SelfAndDescendants(), g => Assert.StartsWith("m1_", g.Name, StringComparison.Ordinal));
        Assert.Same(graph.Inputs[0], graph.FindDeclared("m1_x"));
        Assert.Null(graph.FindDeclared("x"));
        Assert.Empty(GraphVerifier.Validate(model));
    }

    [Fact]
    public void Keeps_the_graph_interface_names_when_asked()
    {
        var model = ModelWithBranch();

        NamePrefixer.Prefix(model.Graph, "m1_", new NamePrefixOptions { KeepGraphInputNames = true, KeepGraphOutputNames = true, Nodes = false });

        Assert.Equal(["x", "cond"], model.Graph.Inputs.Select(v => v.Name));
        Assert.Equal("y", Assert.Single(model.Graph.Outputs).Name);
        Assert.DoesNotContain(model.Graph.AllNodes(), n => n.Name.StartsWith("m1_", StringComparison.Ordinal));
        Assert.Empty(GraphVerifier.Validate(model));
    }

    [Fact]
    public void Prefixes_symbolic_dimension_names_only_when_asked()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", ElementType.Float, Dim.Symbol("batch"), 4);
        b.Output(b.Node("Relu", [x]));
        var model = b.Build();

        NamePrefixer.Prefix(model, "a_");
        var afterDefault = x.Shape![0].Param;
        NamePrefixer.Prefix(model, "b_", new NamePrefixOptions { SymbolicDims = true });

        Assert.Equal("batch", afterDefault);
        Assert.Equal("b_batch", x.Shape![0].Param);
        Assert.Equal(4, x.Shape[1].Value);
    }

    [Fact]
    public void Refuses_a_clash_between_a_kept_name_and_a_prefixed_one_and_renames_nothing()
    {
        var b = new GraphBuilder();
        var input = b.Input("px", ElementType.Float, 4);
        var relu = b.AddNode("Relu", [input]);
        relu.Output(0).Name = "x";
        b.Output(b.Node("Neg", [relu.Output(0)]));
        var model = b.Build();

        var error = Assert.Throws<InvalidOperationException>(
            () => NamePrefixer.Prefix(model.Graph, "p", new NamePrefixOptions { KeepGraphInputNames = true }));

        Assert.Contains("'px'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'x'", error.Message, StringComparison.Ordinal);
        Assert.Equal("x", relu.Output(0).Name);
        Assert.Equal("main", model.Graph.Name);
    }

    static Model ModelWithBranch()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", ElementType.Float, 4);
        var cond = b.Input("cond", ElementType.Bool);
        var thenBranch = b.Subgraph("then");
        thenBranch.Output(thenBranch.Node("Relu", [x]));
        var elseBranch = b.Subgraph("else");
        elseBranch.Output(elseBranch.Node("Neg", [x]));
        b.Output(b.Node("If", [cond], Attr.Graph("then_branch", thenBranch.Graph), Attr.Graph("else_branch", elseBranch.Graph)), "y");
        return b.Build();
    }
}
