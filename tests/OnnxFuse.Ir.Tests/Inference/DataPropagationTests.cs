using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Inference;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Ir.Tests.Inference;

public sealed class DataPropagationTests
{
    /// <summary>The head split of a PyTorch attention export: x.view(x.size(0), x.size(1), 4, 64).</summary>
    static (InferenceGraph Graph, Value Reshaped) HeadSplit(object batch)
    {
        var g = new InferenceGraph();
        var x = g.Input("x", batch, 128, 256);
        var shape = g.Node("Shape", [x]);
        var dim0 = g.Node("Gather", [shape, g.Scalar("i0", 0)], Attr.Int("axis", 0));
        var dim1 = g.Node("Gather", [shape, g.Scalar("i1", 1)], Attr.Int("axis", 0));
        var u0 = g.Node("Unsqueeze", [dim0, g.Ints("ax0", 0)]);
        var u1 = g.Node("Unsqueeze", [dim1, g.Ints("ax1", 0)]);
        var target = g.Node("Concat", [u0, u1, g.Ints("heads", 4), g.Ints("size", 64)], Attr.Int("axis", 0));
        return (g, g.Node("Reshape", [x, target]));
    }

    [Fact]
    public void Shape_gather_unsqueeze_concat_reshape_gives_a_static_shape()
    {
        var (g, reshaped) = HeadSplit(1);

        var report = g.Infer();

        Assert.Equal("[1,128,4,64]", reshaped.Shape!.ToString());
        Assert.Empty(report.Unresolved);
    }

    [Fact]
    public void The_same_chain_keeps_a_symbolic_batch()
    {
        var (g, reshaped) = HeadSplit("batch");

        g.Infer();

        Assert.Equal("[batch,128,4,64]", reshaped.Shape!.ToString());
    }

    [Fact]
    public void Without_data_propagation_the_reshape_has_only_its_rank()
    {
        var (g, reshaped) = HeadSplit(1);

        g.Infer(new ShapeInferenceOptions { PropagateData = false });

        Assert.Equal("[?,?,?,?]", reshaped.Shape!.ToString());
    }

    [Fact]
    public void Arithmetic_slices_casts_and_constant_of_shape_fold()
    {
        var g = new InferenceGraph();
        var x = g.Input("x", 2, 6, 10);
        var shape = g.Node("Shape", [x]);
        var tail = g.Node("Slice", [shape, g.Ints("s", -2), g.Ints("e", long.MaxValue)]);
        var halved = g.Node("Div", [tail, g.Ints("two", 2)]);
        var asInt = g.Node("Cast", [halved], Attr.Int("to", (long)ElementType.Int32));
        var back = g.Node("Cast", [asInt], Attr.Int("to", (long)ElementType.Int64));
        var filled = g.Node("ConstantOfShape", [back], Attr.Tensor("value", TensorData.Create<long>([1], [7])));
        var product = g.Node("Mul", [back, g.Ints("three", 3)]);
        var expanded = g.Node("Expand", [g.Input("one", 1), product]);

        g.Infer();

        Assert.Equal("[3,5]", filled.Shape!.ToString());
        Assert.Equal(ElementType.Int64, filled.ElementType);
        Assert.Equal("[9,15]", expanded.Shape!.ToString());
    }

    [Fact]
    public void Range_equal_where_and_constant_nodes_fold()
    {
        var g = new InferenceGraph();
        var start = g.Graph.AddNode("Constant", [], ["start"], [Attr.Tensor("value", TensorData.Scalar(2L))]).Output(0);
        var range = g.Node("Range", [start, g.Scalar("limit", 11), g.Scalar("delta", 3)]);
        var isMinusOne = g.Node("Equal", [g.Ints("t", 4, -1), g.Ints("m1", -1)]);
        var fixedTarget = g.Node("Where", [isMinusOne, g.Ints("ones", 1, 1), g.Ints("t2", 4, -1)]);
        var reshaped = g.Node("Reshape", [g.Input("x", 4, 1), fixedTarget]);
        var shaped = g.Node("Reshape", [g.Input("z", 80), range]);

        g.Infer();

        Assert.Equal("[3]", range.Shape!.ToString());
        Assert.Equal("[4,1]", reshaped.Shape!.ToString());
        Assert.Equal("[2,5,8]", shaped.Shape!.ToString());
    }
}
