using OnnxFuse.Ir.Building;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Passes.Fusions;
using OnnxFuse.Passes.Rewriting;

namespace OnnxFuse.Passes.Tests.Fusions;

/// <summary>Oracle: the unfused model on the managed engine and on ONNX Runtime; tolerance 1e-4 relative, 1e-5 absolute.</summary>
public sealed class MatMulScaleFusionTests
{
    const string FusedMatMul = "com.microsoft.FusedMatMul";

    public enum ScaleAt { A, B, Output }

    /// <summary>a[2, 3, 4, 5] · b[2, 3, 5, 6], with <paramref name="op"/>(·, s) (or (s, ·) when <paramref name="scaleFirst"/>) at <paramref name="at"/>.</summary>
    static Model Scaled(ScaleAt at, float scale = 0.125f, string op = "Mul", bool scaleFirst = false, long[]? scaleDims = null, bool sideReader = false)
    {
        var b = new GraphBuilder(opset: 13);
        var a = b.Input("a", ElementType.Float, 2, 3, 4, 5);
        var m = b.Input("b", ElementType.Float, 2, 3, 5, 6);
        var s = b.Initializer("s", TensorData.Create<float>(scaleDims ?? [], [scale]));
        Value Scale(Value x) => b.Node(op, scaleFirst ? [s, x] : [x, s]);
        var left = at == ScaleAt.A ? Scale(a) : a;
        var right = at == ScaleAt.B ? Scale(m) : m;
        var product = b.Node("MatMul", [left, right]);
        b.Output(at == ScaleAt.Output ? Scale(product) : product, "y");
        if (sideReader)
            b.Output(b.Node("Relu", [at == ScaleAt.A ? left : product]), "side");
        return b.Build();
    }

    [Theory]
    [InlineData(ScaleAt.Output, "Mul", 0.125f, false)]
    [InlineData(ScaleAt.Output, "Mul", 0.125f, true)]
    [InlineData(ScaleAt.Output, "Div", 8f, false)]
    [InlineData(ScaleAt.A, "Mul", 0.125f, false)]
    [InlineData(ScaleAt.B, "Mul", 0.125f, true)]
    [InlineData(ScaleAt.B, "Div", 8f, false)]
    public void Folds_a_scalar_scale_into_the_alpha_of_a_fused_matmul(ScaleAt at, string op, float scale, bool scaleFirst)
    {
        var original = Scaled(at, scale, op, scaleFirst);

        var (fused, report) = PassTester.Run(original, new MatMulScaleFusion());

        Assert.Single(report.Applied);
        var node = Assert.Single(fused.Graph.Nodes);
        Assert.Equal(FusedMatMul, PassTester.OpTypes(fused)[0]);
        Assert.Equal(0.125f, node.GetFloat("alpha", 1f));
        Assert.Equal("y", fused.Graph.Outputs[0].Name);
        PassTester.AssertSameOutputs(original, fused, seed: 3);
    }

    [Fact]
    public void Multiplies_scales_on_the_inputs_and_the_output_into_one_alpha()
    {
        var b = new GraphBuilder(opset: 13);
        var a = b.Input("a", ElementType.Float, 4, 5);
        var m = b.Input("b", ElementType.Float, 5, 6);
        var product = b.Node("MatMul", [b.Node("Mul", [a, b.Initializer("two", TensorData.Scalar(2f))]),
            b.Node("Div", [m, b.Initializer("four", TensorData.Create<float>([1], [4f]))])]);
        b.Output(b.Node("Mul", [product, b.Initializer("three", TensorData.Scalar(3f))]), "y");
        var original = b.Build();

        var (fused, _) = PassTester.Run(original, new MatMulScaleFusion());

        Assert.Equal(1.5f, Assert.Single(fused.Graph.Nodes).GetFloat("alpha", 1f));
        PassTester.AssertSameOutputs(original, fused, seed: 4);
    }

    [Fact]
    public void Folds_the_scale_of_a_vector_times_a_matrix()
    {
        var b = new GraphBuilder(opset: 13);
        var product = b.Node("MatMul", [b.Input("a", ElementType.Float, 5), b.Input("b", ElementType.Float, 5, 6)]);
        b.Output(b.Node("Mul", [product, b.Initializer("s", TensorData.Create<float>([1], [3f]))]), "y");
        var original = b.Build();

        var (fused, _) = PassTester.Run(original, new MatMulScaleFusion());

        Assert.Equal([FusedMatMul], PassTester.OpTypes(fused));
        PassTester.AssertSameOutputs(original, fused, seed: 6);
    }

    [Fact]
    public void Multiplies_into_the_alpha_of_an_existing_fused_matmul_and_keeps_its_transposes()
    {
        var b = new GraphBuilder(opset: 13);
        var a = b.Input("a", ElementType.Float, 4, 5);
        var m = b.Input("b", ElementType.Float, 6, 5);
        var product = b.AddNode("FusedMatMul", [a, m], attributes: [Attr.Float("alpha", 2f), Attr.Int("transB", 1)], domain: "com.microsoft").Output(0);
        b.Output(b.Node("Div", [product, b.Initializer("eight", TensorData.Scalar(8f))]), "y");
        var original = b.Build();

        var (fused, _) = PassTester.Run(original, new MatMulScaleFusion());

        var node = Assert.Single(fused.Graph.Nodes);
        Assert.Equal(0.25f, node.GetFloat("alpha", 1f));
        Assert.Equal(1, node.GetInt("transB", 0));
        PassTester.AssertSameOutputs(original, fused, seed: 5);
    }

    public static TheoryData<string, float, long[]> NearMisses => new()
    {
        { "Mul", 0.125f, [1, 1, 1, 1, 1] }, // would broadcast the product to rank 5
        { "Mul", 0f, [] },
        { "Div", 0f, [] },
    };

    [Theory]
    [MemberData(nameof(NearMisses))]
    public void Leaves_zero_scales_and_scales_of_greater_rank_alone(string op, float scale, long[] scaleDims)
    {
        var (_, report) = PassTester.Run(Scaled(ScaleAt.Output, scale, op, scaleDims: scaleDims), new MatMulScaleFusion());

        Assert.Empty(report.Applied);
    }

    [Fact]
    public void Leaves_a_per_column_scale_alone()
    {
        var b = new GraphBuilder(opset: 13);
        var product = b.Node("MatMul", [b.Input("a", ElementType.Float, 4, 5), b.Input("b", ElementType.Float, 5, 6)]);
        b.Output(b.Node("Mul", [product, b.RandomInitializer("s", 1, 6)]), "y");

        var (_, report) = PassTester.Run(b.Build(), new MatMulScaleFusion());

        Assert.Empty(report.Applied);
    }

    [Fact]
    public void Leaves_a_division_of_the_scale_by_the_product_alone()
    {
        var b = new GraphBuilder(opset: 13);
        var product = b.Node("MatMul", [b.Input("a", ElementType.Float, 4, 5), b.Input("b", ElementType.Float, 5, 6)]);
        b.Output(b.Node("Div", [b.Initializer("s", TensorData.Scalar(8f)), product]), "y");

        var (_, report) = PassTester.Run(b.Build(), new MatMulScaleFusion());

        Assert.Empty(report.Applied);
    }

    [Theory]
    [InlineData(ScaleAt.Output)]
    [InlineData(ScaleAt.A)]
    public void Leaves_a_scaled_value_with_a_second_reader_alone(ScaleAt at)
    {
        var (fused, report) = PassTester.Run(Scaled(at, sideReader: true), new MatMulScaleFusion());

        Assert.Empty(report.Applied);
        Assert.Contains("MatMul", PassTester.OpTypes(fused));
    }

    [Fact]
    public void Emits_nothing_when_only_standard_ops_are_allowed()
    {
        var (_, report) = PassTester.Run(Scaled(ScaleAt.Output), new OptimizerOptions { StandardOnly = true }, new MatMulScaleFusion());

        Assert.Empty(report.Applied);
    }
}
