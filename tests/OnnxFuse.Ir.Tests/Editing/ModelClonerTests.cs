using OnnxFuse.Ir.Building;
using OnnxFuse.Ir.Editing;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Validation;

namespace OnnxFuse.Ir.Tests.Editing;

public sealed class ModelClonerTests
{
    [Fact]
    public void Clone_copies_graph_structure_and_metadata_into_new_objects()
    {
        var original = TwoNodeModel();
        original.MetadataProps["author"] = "tests";
        original.Graph.Nodes[0].DocString = "first";

        var clone = original.Clone();

        Assert.NotSame(original.Graph, clone.Graph);
        Assert.Equal(original.Graph.Nodes.Select(n => n.ToString()), clone.Graph.Nodes.Select(n => n.ToString()));
        Assert.All(clone.Graph.Nodes.Zip(original.Graph.Nodes), p => Assert.NotSame(p.Second, p.First));
        Assert.Same(clone.Graph.Nodes[0], clone.Graph.Nodes[1].Input(0).Producer);
        Assert.Equal("tests", clone.MetadataProps["author"]);
        Assert.Equal("first", clone.Graph.Nodes[0].DocString);
        Assert.Equal(original.OpsetImports.Default, clone.OpsetImports.Default);
        Assert.Equal(original.Graph.Inputs[0].Type, clone.Graph.Inputs[0].Type);
        Assert.Empty(GraphVerifier.Validate(clone));
    }

    [Fact]
    public void Clone_shares_tensor_data_instead_of_copying_weights()
    {
        var original = TwoNodeModel();

        var clone = original.Clone();

        Assert.NotSame(original.Graph.Initializers[0], clone.Graph.Initializers[0]);
        Assert.Same(original.Graph.Initializers[0].Initializer, clone.Graph.Initializers[0].Initializer);
    }

    [Fact]
    public void Editing_the_clone_leaves_the_original_unchanged()
    {
        var original = TwoNodeModel();
        var clone = original.Clone();

        clone.Graph.Inputs[0].Name = "renamed";
        clone.Graph.Nodes[1].SetAttr(Attr.Int("extra", 1));

        Assert.Equal("x", original.Graph.Inputs[0].Name);
        Assert.False(original.Graph.Nodes[1].HasAttr("extra"));
        Assert.Equal(2, original.Graph.Inputs[0].Uses.Count + original.Graph.Initializers[0].Uses.Count);
    }

    [Fact]
    public void Cloned_subgraphs_capture_the_cloned_outer_values()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", ElementType.Float, 4);
        var cond = b.Input("cond", ElementType.Bool);
        var thenBranch = b.Subgraph("then");
        thenBranch.Output(thenBranch.Node("Relu", [x]));
        var elseBranch = b.Subgraph("else");
        elseBranch.Output(x);
        b.Output(b.Node("If", [cond], Attr.Graph("then_branch", thenBranch.Graph), Attr.Graph("else_branch", elseBranch.Graph)));
        var original = b.Build();

        var clone = original.Clone();

        var clonedX = clone.Graph.Inputs[0];
        var clonedIf = clone.Graph.Nodes[0];
        var clonedThen = clonedIf.FindAttr("then_branch")!.AsGraph();
        var clonedElse = clonedIf.FindAttr("else_branch")!.AsGraph();
        Assert.Same(clonedX, clonedThen.Nodes[0].Input(0));
        Assert.Same(clonedX, Assert.Single(clonedElse.Outputs));
        Assert.Same(clonedIf, clonedThen.Owner);
        Assert.Single(x.Uses);
        Assert.Single(clonedX.Uses);
        Assert.Empty(GraphVerifier.Validate(clone));
    }

    [Fact]
    public void Clone_copies_functions_with_their_opset_imports()
    {
        var original = TwoNodeModel();
        var body = new Graph("body");
        var input = body.AddInput("a");
        body.Outputs.Add(body.AddNode("Relu", [input], ["b"]).Output(0));
        var function = new FunctionDef("custom", "MyRelu", body);
        function.OpsetImports[""] = 17;
        function.AttributeNames.Add("alpha");
        original.Functions.Add(function);

        var clone = original.Clone();

        var copy = Assert.Single(clone.Functions);
        Assert.NotSame(function, copy);
        Assert.NotSame(body, copy.Body);
        Assert.Equal("Relu", Assert.Single(copy.Body.Nodes).OpType);
        Assert.Equal(17, copy.OpsetImports.Default);
        Assert.Equal(["alpha"], copy.AttributeNames);
    }

    [Fact]
    public void Clone_keeps_the_order_of_a_graph_whose_node_reads_a_later_nodes_output()
    {
        var graph = new Graph("g");
        var x = graph.AddInput("x");
        var later = graph.AddNode("Neg", [x], ["n"]);
        var earlier = graph.AddNode("Relu", [later.Output(0)], ["y"], before: later);
        graph.Outputs.Add(earlier.Output(0));

        var clone = ModelCloner.CloneGraph(graph);

        Assert.Equal(["Relu", "Neg"], clone.Nodes.Select(n => n.OpType));
        Assert.Same(clone.Nodes[1], clone.Nodes[0].Input(0).Producer);
    }

    static Model TwoNodeModel()
    {
        var b = new GraphBuilder();
        var x = b.Input("x", ElementType.Float, 2);
        var bias = b.Initializer("bias", TensorData.Create<float>([2], [1f, 2f]));
        var sum = b.Node("Add", [x, bias]);
        b.Output(b.Node("Relu", [sum]), "y");
        return b.Build();
    }
}
