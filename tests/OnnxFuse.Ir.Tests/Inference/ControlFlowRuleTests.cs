using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;

namespace OnnxFuse.Ir.Tests.Inference;

public sealed class ControlFlowRuleTests
{
    [Fact]
    public void If_infers_inside_branches_that_capture_outer_values_and_joins_their_outputs()
    {
        var g = new InferenceGraph();
        var x = g.Input("x", 2, 3);
        var cond = g.Input("cond", ElementType.Bool);
        var thenBranch = new Graph("then");
        var relu = thenBranch.AddNode("Relu", [x], ["then_y"]).Output(0);
        thenBranch.Outputs.Add(relu);
        var elseBranch = new Graph("else");
        var transposed = elseBranch.AddNode("Transpose", [x], ["else_t"]).Output(0);
        var flattened = elseBranch.AddNode("Reshape", [transposed, g.Ints("shape", 2, 3)], ["else_y"]).Output(0);
        elseBranch.Outputs.Add(flattened);
        var y = g.Node("If", [cond], Attr.Graph("then_branch", thenBranch), Attr.Graph("else_branch", elseBranch));

        g.Infer();

        Assert.Equal("[2,3]", relu.Shape!.ToString());
        Assert.Equal("[3,2]", transposed.Shape!.ToString());
        Assert.Equal("[2,3]", y.Shape!.ToString());
        Assert.Equal(ElementType.Float, y.ElementType);
    }

    [Fact]
    public void If_branches_with_different_dims_give_unknown_dims()
    {
        var g = new InferenceGraph();
        var x = g.Input("x", 2, 3);
        var thenBranch = new Graph("then");
        thenBranch.Outputs.Add(thenBranch.AddNode("Identity", [x], ["a"]).Output(0));
        var elseBranch = new Graph("else");
        elseBranch.Outputs.Add(elseBranch.AddNode("Transpose", [x], ["b"]).Output(0));
        var y = g.Node("If", [g.Input("cond", ElementType.Bool)], Attr.Graph("then_branch", thenBranch), Attr.Graph("else_branch", elseBranch));

        g.Infer();

        Assert.Equal("[?,?]", y.Shape!.ToString());
    }

    [Fact]
    public void Loop_types_its_body_and_stacks_scan_outputs()
    {
        var g = new InferenceGraph();
        var body = new Graph("body");
        body.AddInput("i", null);
        var condIn = body.AddInput("cond_in", null);
        var sum = body.AddInput("sum_in", null);
        var next = body.AddNode("Add", [sum, g.Input("step", 4)], ["sum_out"]).Output(0);
        var condOut = body.AddNode("Identity", [condIn], ["cond_out"]).Output(0);
        var scanned = body.AddNode("Relu", [next], ["scan_out"]).Output(0);
        body.Outputs.AddRange([condOut, next, scanned]);
        var loop = g.NodeWithOutputs("Loop", [g.Scalar("trips", 5), null, g.Input("sum0", 4)], 2, Attr.Graph("body", body));

        g.Infer();

        Assert.Equal(ElementType.Bool, condOut.ElementType);
        Assert.Equal("[4]", loop.Output(0).Shape!.ToString());
        Assert.Equal("[5,4]", loop.Output(1).Shape!.ToString());
    }

    [Fact]
    public void Scan_slices_inputs_for_the_body_and_stacks_outputs_on_the_scan_axis()
    {
        var g = new InferenceGraph(opset: 16);
        var body = new Graph("body");
        var state = body.AddInput("state", null);
        var slice = body.AddInput("slice", null);
        var nextState = body.AddNode("Add", [state, slice], ["next"]).Output(0);
        var output = body.AddNode("Identity", [nextState], ["out"]).Output(0);
        body.Outputs.AddRange([nextState, output]);
        var scan = g.NodeWithOutputs("Scan", [g.Input("init", 3), g.Input("seq", 7, 3)], 2,
            Attr.Graph("body", body), Attr.Int("num_scan_inputs", 1), Attr.Ints("scan_output_axes", [1]));

        g.Infer();

        Assert.Equal(new TensorType(ElementType.Float, Shape.Of(3)), slice.Type);
        Assert.Equal("[3]", scan.Output(0).Shape!.ToString());
        Assert.Equal("[3,7]", scan.Output(1).Shape!.ToString());
    }
}
