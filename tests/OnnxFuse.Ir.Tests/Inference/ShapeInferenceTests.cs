using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Inference;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;

namespace OnnxFuse.Ir.Tests.Inference;

public sealed class ShapeInferenceTests
{
    [Fact]
    public void Symbolic_batch_flows_from_the_model_input_to_the_output()
    {
        var g = new InferenceGraph();
        var x = g.Input("x", "batch", 3, 8, 8);
        var conv = g.Node("Conv", [x, g.Weight("w", 4, 3, 3, 3)], Attr.Ints("pads", [1, 1, 1, 1]));
        var pooled = g.Node("GlobalAveragePool", [conv]);
        var flat = g.Node("Flatten", [pooled]);
        var logits = g.Node("Gemm", [flat, g.Weight("fc", 10, 4), g.Weight("b", 10)], Attr.Int("transB", 1));
        g.Graph.Outputs.Add(logits);

        var report = g.Infer();

        Assert.Equal("[batch,4,8,8]", conv.Shape!.ToString());
        Assert.Equal("[batch,4]", flat.Shape!.ToString());
        Assert.Equal("[batch,10]", logits.Shape!.ToString());
        Assert.Empty(report.Unresolved);
        Assert.Equal(4, report.InferredCount);
    }

    [Fact]
    public void A_known_declared_dim_is_never_replaced_by_a_less_precise_one()
    {
        var g = new InferenceGraph();
        var y = g.Node("Relu", [g.Input("x", "n", 3)]);
        y.Type = new TensorType(ElementType.Float, InferenceGraph.ShapeOf(2, null));

        var report = g.Infer();

        Assert.Equal("[2,3]", y.Shape!.ToString());
        Assert.Empty(report.Conflicts);
    }

    [Fact]
    public void A_declared_type_that_contradicts_inference_is_reported_and_kept()
    {
        var g = new InferenceGraph();
        g.Graph.AddNode("Relu", [g.Input("x", 2, 3)], ["y"], name: "relu");
        var y = g.Graph.FindValue("y")!;
        y.Type = new TensorType(ElementType.Float, InferenceGraph.ShapeOf(2, 4));

        var report = g.Infer();

        var conflict = Assert.Single(report.Conflicts);
        Assert.Equal("y", conflict.ValueName);
        Assert.Equal("relu", conflict.NodeName);
        Assert.Equal("[2,4]", y.Shape!.ToString());
    }

    [Fact]
    public void Throw_on_conflict_names_node_and_value()
    {
        var g = new InferenceGraph();
        g.Graph.AddNode("Relu", [g.Input("x", 2, 3)], ["y"], name: "relu");
        g.Graph.FindValue("y")!.Type = new TensorType(ElementType.Int32, InferenceGraph.ShapeOf(2, 3));

        var error = Assert.Throws<ShapeMismatchException>(() => g.Infer(new ShapeInferenceOptions { ThrowOnConflict = true }));

        Assert.Contains("'relu'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'y'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_ops_are_reported_per_op_type_with_a_reason()
    {
        var g = new InferenceGraph();
        var custom = g.Graph.AddNode("MyOp", [g.Input("x", 2)], ["y"], domain: "custom");
        g.Node("Relu", [custom.Output(0)]);

        var report = g.Infer();

        Assert.True(report.ByOpType["custom.MyOp"].NoRule);
        Assert.Equal(1, report.ByOpType["Relu"].UnresolvedOutputs);
        Assert.Contains(report.Unresolved, u => u.ValueName == "y" && u.Reason.Contains("no inference rule", StringComparison.Ordinal));
    }

    [Fact]
    public void Nodes_out_of_order_are_visited_producers_first()
    {
        var g = new InferenceGraph();
        var x = g.Input("x", 2, 3);
        var late = g.Graph.AddNode("Relu", [x], ["a"]);
        g.Graph.AddNode("Transpose", [late.Output(0)], ["b"], before: late);

        g.Infer();

        Assert.Equal("[3,2]", g.Graph.FindValue("b")!.Shape!.ToString());
    }
}
