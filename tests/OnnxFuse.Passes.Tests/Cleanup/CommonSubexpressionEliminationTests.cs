using OnnxFuse.Ir.Building;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Passes.Cleanup;

namespace OnnxFuse.Passes.Tests.Cleanup;

public sealed class CommonSubexpressionEliminationTests
{
    static readonly CommonSubexpressionElimination s_pass = new();

    /// <summary>y = first(x) + 1, z = second(x) · 2: two readers of two possibly equal nodes.</summary>
    static Model TwoReaders(Func<GraphBuilder, Value, Value> first, Func<GraphBuilder, Value, Value> second, long opset = 13)
    {
        var b = new GraphBuilder(opset);
        var x = b.Input("x", ElementType.Float, 2, 3);
        b.Output(b.Node("Add", [first(b, x), b.Constant(TensorData.Scalar(1f))]), "y");
        b.Output(b.Node("Mul", [second(b, x), b.Constant(TensorData.Scalar(2f))]), "z");
        return b.Build();
    }

    [Fact]
    public void Merges_two_equal_nodes_and_the_chains_behind_them()
    {
        static Value Chain(GraphBuilder b, Value x) => b.Node("Sigmoid", [b.Node("Transpose", [x], Attr.Ints("perm", [1, 0]))]);
        var original = TwoReaders(Chain, Chain);

        var (merged, report) = PassTester.Run(original, s_pass);

        Assert.Equal(2, report.Applied.Count);
        Assert.Equal(["Transpose", "Sigmoid", "Constant", "Add", "Constant", "Mul"], PassTester.OpTypes(merged));
        PassTester.AssertSameOutputs(original, merged, seed: 1, rtol: 0, atol: 0);
    }

    [Fact]
    public void Merges_constant_nodes_holding_equal_tensors()
    {
        var b = new GraphBuilder(opset: 13);
        var x = b.Input("x", ElementType.Float, 4);
        var sum = b.Node("Add", [x, b.Constant(TensorData.Create<float>([4], [1, 2, 3, 4]))]);
        var product = b.Node("Mul", [sum, b.Constant(TensorData.Create<float>([4], [1, 2, 3, 4]))]);
        b.Output(b.Node("Sub", [product, b.Constant(TensorData.Create<float>([4], [1, 2, 3, 5]))]), "y");
        var original = b.Build();

        var (merged, report) = PassTester.Run(original, s_pass);

        Assert.Single(report.Applied);
        Assert.Equal(2, PassTester.OpTypes(merged).Count(op => op == "Constant"));
        var (add, mul) = (merged.Graph.Nodes.Single(n => n.OpType == "Add"), merged.Graph.Nodes.Single(n => n.OpType == "Mul"));
        Assert.Same(add.Input(1), mul.Input(1));
        PassTester.AssertSameOutputs(original, merged, seed: 2, rtol: 0, atol: 0);
    }

    [Fact]
    public void Merges_initializers_with_equal_type_dims_and_bytes()
    {
        var b = new GraphBuilder(opset: 13);
        var x = b.Input("x", ElementType.Float, 2, 2);
        var first = b.Node("Add", [x, b.RandomInitializer("w1", 7, 2, 2)]);
        var second = b.Node("Add", [first, b.RandomInitializer("w2", 7, 2, 2)]);
        var reshaped = b.Initializer("w3", b.Graph.FindValue("w1")!.Initializer!.WithDims([4]));
        b.Output(b.Node("Reshape", [second, b.Initializer("shape", TensorData.Create<long>([1], [4]))]), "y");
        b.Output(b.Node("Add", [b.Graph.FindValue("y")!, reshaped]), "z");
        var original = b.Build();

        var (merged, report) = PassTester.Run(original, s_pass);

        Assert.Single(report.Applied);
        // w2 merged into w1; w3 has the same bytes but other dims and stays.
        Assert.Equal(["w1", "w3", "shape"], merged.Graph.Initializers.Select(i => i.Name));
        PassTester.AssertSameOutputs(original, merged, seed: 3, rtol: 0, atol: 0);
    }

    [Fact]
    public void A_merged_graph_output_keeps_its_name()
    {
        var b = new GraphBuilder(opset: 13);
        var x = b.Input("x", ElementType.Float, 3);
        b.Output(b.Node("Neg", [b.Node("Relu", [x])]), "y");
        b.Output(b.Node("Relu", [x]), "r");
        var original = b.Build();

        var (merged, report) = PassTester.Run(original, s_pass);

        Assert.Single(report.Applied);
        Assert.Equal(["Relu", "Neg"], PassTester.OpTypes(merged));
        Assert.Equal(["y", "r"], merged.Graph.Outputs.Select(o => o.Name));
        PassTester.AssertSameOutputs(original, merged, seed: 4, rtol: 0, atol: 0);
    }

    [Fact]
    public void Leaves_two_graph_outputs_apart()
    {
        var b = new GraphBuilder(opset: 13);
        var x = b.Input("x", ElementType.Float, 3);
        b.Output(b.Node("Relu", [x]), "r1");
        b.Output(b.Node("Relu", [x]), "r2");

        var (merged, report) = PassTester.Run(b.Build(), s_pass);

        Assert.Empty(report.Applied);
        Assert.Equal(["Relu", "Relu"], PassTester.OpTypes(merged));
    }

    public static TheoryData<string, Func<GraphBuilder, Value, Value>, Func<GraphBuilder, Value, Value>> NearMisses => new()
    {
        { "attribute value", (b, x) => b.Node("Transpose", [x], Attr.Ints("perm", [1, 0])), (b, x) => b.Node("Transpose", [x], Attr.Ints("perm", [0, 1])) },
        { "float bits", (b, x) => b.Node("LeakyRelu", [x], Attr.Float("alpha", 0f)), (b, x) => b.Node("LeakyRelu", [x], Attr.Float("alpha", -0f)) },
        { "default written out", (b, x) => b.Node("Softmax", [x]), (b, x) => b.Node("Softmax", [x], Attr.Int("axis", -1)) },
        { "input order", (b, x) => b.Node("Sub", [x, b.Node("Neg", [x])]), (b, x) => b.Node("Sub", [b.Graph.Nodes.Last(n => n.OpType == "Neg").Output(0), x]) },
        { "random op", (b, x) => b.Node("RandomUniformLike", [x]), (b, x) => b.Node("RandomUniformLike", [x]) },
        { "op type", (b, x) => b.Node("Relu", [x]), (b, x) => b.Node("Sigmoid", [x]) },
    };

    [Theory, MemberData(nameof(NearMisses))]
    public void Leaves_nodes_that_differ_apart(string difference, Func<GraphBuilder, Value, Value> first, Func<GraphBuilder, Value, Value> second)
    {
        var original = TwoReaders(first, second);

        var (merged, report) = PassTester.Run(original, s_pass);

        Assert.True(report.Applied.Count == 0, $"merged despite a different {difference}");
        Assert.Equal(original.Graph.Nodes.Count, merged.Graph.Nodes.Count);
    }
}
