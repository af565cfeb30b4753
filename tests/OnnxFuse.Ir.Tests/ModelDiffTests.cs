using OnnxFuse.Ir.Comparison;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;

namespace OnnxFuse.Ir.Tests;

public sealed class ModelDiffTests
{
    [Fact]
    public void Two_models_built_the_same_way_are_equal()
    {
        Assert.Null(ModelDiff.FirstDifference(Build(), Build()));
    }

    [Fact]
    public void Reports_a_changed_attribute_with_its_node_path_and_both_values()
    {
        var changed = Build();
        changed.Graph.Nodes[0].SetAttr(Attr.Ints("pads", [0, 0, 0, 0]));

        Assert.Equal("graph/node[0] 'conv1' attribute 'pads': [1,1,1,1] vs [0,0,0,0]", ModelDiff.FirstDifference(Build(), changed));
    }

    [Fact]
    public void Reports_header_differences()
    {
        var ir = Build();
        ir.IrVersion = 9;
        var producer = Build();
        producer.ProducerName = "other";

        Assert.StartsWith("ir_version", ModelDiff.FirstDifference(Build(), ir), StringComparison.Ordinal);
        Assert.StartsWith("producer_name", ModelDiff.FirstDifference(Build(), producer), StringComparison.Ordinal);
    }

    [Fact]
    public void Reports_opset_and_metadata_differences()
    {
        var opset = Build();
        opset.OpsetImports[""] = 17;
        var metadata = Build();
        metadata.MetadataProps["author"] = "someone else";

        Assert.StartsWith("opset_import", ModelDiff.FirstDifference(Build(), opset), StringComparison.Ordinal);
        Assert.StartsWith("metadata['author']", ModelDiff.FirstDifference(Build(), metadata), StringComparison.Ordinal);
    }

    [Fact]
    public void Reports_a_changed_initializer_by_name()
    {
        var changed = Build();
        Graph.SetInitializer(changed.Graph.FindDeclared("w")!, TensorData.Create<float>([2, 1, 1, 1], [1f, 3f]));

        Assert.StartsWith("graph/initializer 'w'", ModelDiff.FirstDifference(Build(), changed), StringComparison.Ordinal);
    }

    [Fact]
    public void Reports_input_type_and_output_name_differences()
    {
        var type = Build();
        type.Graph.Inputs[0].Type = new TensorType(ElementType.Float, new Shape([Dim.Symbol("batch"), 1, 4, 4]));
        var output = Build();
        output.Graph.Outputs[0].Name = "renamed";

        Assert.StartsWith("graph/input[0] 'x' type", ModelDiff.FirstDifference(Build(), type), StringComparison.Ordinal);
        Assert.Contains("'renamed'", ModelDiff.FirstDifference(Build(), output), StringComparison.Ordinal);
    }

    [Fact]
    public void Reports_node_op_and_wiring_differences()
    {
        var op = Build();
        op.Graph.Nodes[1].OpType = "Not";
        var wiring = Build();
        wiring.Graph.Nodes[0].SetInput(2, null);

        Assert.Equal("graph/node[1] 'if1' op_type: \"If\" vs \"Not\"", ModelDiff.FirstDifference(Build(), op));
        Assert.StartsWith("graph/node[0] 'conv1' inputs", ModelDiff.FirstDifference(Build(), wiring), StringComparison.Ordinal);
    }

    [Fact]
    public void Reports_differences_inside_subgraphs_with_the_attribute_path()
    {
        var changed = Build();
        changed.Graph.Nodes[1].FindAttr("then_branch")!.AsGraph().Nodes[0].SetAttr(Attr.Float("alpha", 0.5f));

        Assert.StartsWith("graph/node[1] 'if1' attribute 'then_branch'/graph/node[0] 'inner' attribute", ModelDiff.FirstDifference(Build(), changed), StringComparison.Ordinal);
    }

    [Fact]
    public void Reports_value_types_only_where_both_models_know_them()
    {
        var changed = Build();
        changed.Graph.FindDeclared("y")!.Type = new TensorType(ElementType.Float16, null);
        var untyped = Build();
        untyped.Graph.FindDeclared("y")!.Type = null;

        Assert.Contains("'y' type: float32[1,2,6,6] vs float16[?]", ModelDiff.FirstDifference(Build(), changed), StringComparison.Ordinal);
        Assert.Null(ModelDiff.FirstDifference(Build(), untyped));
    }

    [Fact]
    public void Reports_function_differences()
    {
        var changed = Build();
        changed.Functions[0].Body.Nodes[0].OpType = "Sub";

        Assert.StartsWith("functions[0] 'AddTwice'/body/node[0]", ModelDiff.FirstDifference(Build(), changed), StringComparison.Ordinal);
    }

    /// <summary>conv1 = Conv(x, w, b) with pads; if1 = If(cond) whose branches capture conv1's output.</summary>
    static Model Build()
    {
        var graph = new Graph("main");
        var x = graph.AddInput("x", new TensorType(ElementType.Float, Shape.Of(1, 1, 4, 4)));
        var cond = graph.AddInput("cond", new TensorType(ElementType.Bool, Shape.Scalar));
        var w = graph.AddInitializer("w", TensorData.Create<float>([2, 1, 1, 1], [1f, 2f]));
        var b = graph.AddInitializer("b", TensorData.Create<float>([2], [0.5f, -0.5f]));
        var conv = graph.AddNode("Conv", [x, w, b], ["y"], [Attr.Ints("pads", [1, 1, 1, 1])], name: "conv1");
        conv.Output(0).Type = new TensorType(ElementType.Float, Shape.Of(1, 2, 6, 6));

        var thenBranch = new Graph("then");
        var inner = thenBranch.AddNode("LeakyRelu", [conv.Output(0)], ["then_out"], [Attr.Float("alpha", 0.1f)], name: "inner");
        thenBranch.Outputs.Add(inner.Output(0));
        var elseBranch = new Graph("else");
        elseBranch.Outputs.Add(conv.Output(0));
        var ifNode = graph.AddNode("If", [cond], ["z"], [Attr.Graph("then_branch", thenBranch), Attr.Graph("else_branch", elseBranch)], name: "if1");
        graph.Outputs.Add(ifNode.Output(0));

        var body = new Graph("AddTwice");
        var a = body.AddInput("a");
        var sum = body.AddNode("Add", [a, a], ["s"], name: "add");
        body.Outputs.Add(sum.Output(0));

        var model = new Model(graph) { IrVersion = 10, ProducerName = "tests" };
        model.OpsetImports[""] = 13;
        model.OpsetImports["local"] = 1;
        model.MetadataProps["author"] = "tests";
        model.Functions.Add(new FunctionDef("local", "AddTwice", body));
        return model;
    }
}
