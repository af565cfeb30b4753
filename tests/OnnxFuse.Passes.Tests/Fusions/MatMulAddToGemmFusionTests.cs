using OnnxFuse.Ir.Building;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;
using OnnxFuse.Passes.Fusions;

namespace OnnxFuse.Passes.Tests.Fusions;

/// <summary>Oracle: the unfused model on the managed engine and on ONNX Runtime; tolerance 1e-4 relative, 1e-5 absolute.</summary>
public sealed class MatMulAddToGemmFusionTests
{
    /// <summary>x[a…, 8] → MatMul(w[8, 6]) → Add(bias) → y.</summary>
    static Model MatMulAdd(Dim[] inputDims, long[]? biasDims = null, bool biasFirst = false, bool constantNodes = false,
        bool weightIsInput = false, bool sideReader = false, bool biasIsInput = false)
    {
        var b = new GraphBuilder(opset: 13);
        var x = b.Input("x", ElementType.Float, inputDims);
        var w = weightIsInput ? b.Input("w", ElementType.Float, 8, 6)
            : constantNodes ? b.Constant(Random(7, 8, 6)) : b.RandomInitializer("w", 7, 8, 6);
        biasDims ??= [6];
        var bias = biasIsInput ? b.Input("bias", ElementType.Float, [.. biasDims.Select(Dim.Of)])
            : constantNodes ? b.Constant(Random(8, biasDims)) : b.RandomInitializer("bias", 8, biasDims);
        var product = b.Node("MatMul", [x, w]);
        b.Output(b.Node("Add", biasFirst ? [bias, product] : [product, bias]), "y");
        if (sideReader)
            b.Output(b.Node("Relu", [product]), "side");
        return b.Build();
    }

    static TensorData Random(int seed, params long[] dims)
    {
        var random = new Random(seed);
        var values = new float[dims.Aggregate(1L, (n, d) => n * d)];
        for (var i = 0; i < values.Length; i++)
            values[i] = (random.NextSingle() * 2) - 1;
        return TensorData.Create<float>(dims, values);
    }

    static Dictionary<string, TensorData> Input(params long[] dims) => new() { ["x"] = Random(5, dims) };

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Fuses_a_matrix_product_and_its_bias_into_one_gemm(bool biasFirst)
    {
        var original = MatMulAdd([4, 8], biasFirst: biasFirst);

        var (fused, report) = PassTester.Run(original, new MatMulAddToGemmFusion());

        Assert.Single(report.Applied);
        Assert.Equal(["Gemm"], PassTester.OpTypes(fused));
        Assert.Equal("y", fused.Graph.Outputs[0].Name);
        PassTester.AssertSameOutputs(original, fused, seed: 3);
    }

    [Fact]
    public void Flattens_a_static_batch_into_the_gemm_rows_and_restores_it_with_constant_shapes()
    {
        var original = MatMulAdd([2, 5, 8]);

        var (fused, _) = PassTester.Run(original, new MatMulAddToGemmFusion());

        Assert.Equal(["Reshape", "Gemm", "Reshape"], PassTester.OpTypes(fused));
        Assert.Equal(Shape.Of(2, 5, 6), fused.Graph.Outputs[0].Shape);
        PassTester.AssertSameOutputs(original, fused, seed: 4);
    }

    [Fact]
    public void Writes_one_unknown_leading_dim_as_minus_one()
    {
        var original = MatMulAdd([Dim.Symbol("batch"), 5, 8]);

        var (fused, _) = PassTester.Run(original, new MatMulAddToGemmFusion());

        Assert.Equal(["Reshape", "Gemm", "Reshape"], PassTester.OpTypes(fused));
        var outputShape = fused.Graph.Nodes[^1].Input(1).ConstantData!.ToArray<long>();
        Assert.Equal([-1, 5, 6], outputShape);
        PassTester.AssertSameOutputs(original, fused, inputs: Input(3, 5, 8));
    }

    [Fact]
    public void Takes_several_unknown_leading_dims_from_the_shape_of_a()
    {
        var original = MatMulAdd([Dim.Symbol("batch"), Dim.Symbol("sequence"), 8]);

        var (fused, _) = PassTester.Run(original, new MatMulAddToGemmFusion());

        Assert.Equal(["Concat", "Gemm", "Reshape", "Reshape", "Shape", "Slice"], PassTester.OpTypes(fused).Order(StringComparer.Ordinal));
        PassTester.AssertSameOutputs(original, fused, inputs: Input(3, 7, 8));
        PassTester.AssertSameOutputs(original, fused, inputs: Input(1, 2, 8));
    }

    [Fact]
    public void Flattens_a_bias_of_ones_then_n_into_a_row()
    {
        var original = MatMulAdd([2, 5, 8], biasDims: [1, 1, 6]);

        var (fused, _) = PassTester.Run(original, new MatMulAddToGemmFusion());

        var gemm = fused.Graph.Nodes.Single(n => n.OpType == "Gemm");
        Assert.Equal([6L], gemm.Input(2).ConstantData!.Dims);
        PassTester.AssertSameOutputs(original, fused, seed: 5);
    }

    [Fact]
    public void Fuses_weights_and_bias_held_in_constant_nodes()
    {
        var original = MatMulAdd([2, 5, 8], constantNodes: true);

        var (fused, report) = PassTester.Run(original, new MatMulAddToGemmFusion());

        Assert.Single(report.Applied);
        PassTester.AssertSameOutputs(original, fused, seed: 6);
    }

    [Fact]
    public void Takes_a_computed_b_of_known_size()
    {
        var original = MatMulAdd([4, 8], weightIsInput: true);

        var (fused, _) = PassTester.Run(original, new MatMulAddToGemmFusion());

        Assert.Equal(["Gemm"], PassTester.OpTypes(fused));
        PassTester.AssertSameOutputs(original, fused, seed: 7);
    }

    /// <summary>FusedMatMul(x[2, 5, 8] or its transpose, w[6, 8], alpha 0.5, transB) → Add(bias[6]).</summary>
    static Model FusedMatMulAdd(bool transA, params long[] inputDims)
    {
        var b = new GraphBuilder(opset: 13);
        var x = b.Input("x", ElementType.Float, [.. inputDims.Select(Dim.Of)]);
        var product = b.AddNode("FusedMatMul", [x, b.RandomInitializer("w", 7, 6, 8)],
            attributes: [Attr.Float("alpha", 0.5f), Attr.Int("transA", transA ? 1 : 0), Attr.Int("transB", 1)], domain: "com.microsoft").Output(0);
        b.Output(b.Node("Add", [product, b.RandomInitializer("bias", 8, 6)]), "y");
        return b.Build();
    }

    [Theory]
    [InlineData(false, new long[] { 2, 5, 8 })]
    [InlineData(true, new long[] { 8, 5 })]
    public void Carries_a_fused_matmuls_alpha_and_transposes_into_the_gemm(bool transA, long[] inputDims)
    {
        var original = FusedMatMulAdd(transA, inputDims);

        var (fused, report) = PassTester.Run(original, new MatMulAddToGemmFusion());

        Assert.Single(report.Applied);
        var gemm = fused.Graph.Nodes.Single(n => n.OpType == "Gemm");
        Assert.Equal((0.5f, transA ? 1L : 0L, 1L), (gemm.GetFloat("alpha", 1f), gemm.GetInt("transA", 0), gemm.GetInt("transB", 0)));
        PassTester.AssertSameOutputs(original, fused, seed: 8);
    }

    [Fact]
    public void Leaves_a_fused_matmul_alone_that_transposes_a_batched_a()
    {
        var (_, report) = PassTester.Run(FusedMatMulAdd(true, 2, 8, 5), new MatMulAddToGemmFusion());

        Assert.Empty(report.Applied);
    }

    public static TheoryData<long[]> BiasesThatAreNotRows => new() { new long[] { 5, 6 }, new long[] { 1, 1, 1, 6 }, new long[] { 1 }, new long[] { 5, 1 } };

    [Theory]
    [MemberData(nameof(BiasesThatAreNotRows))]
    public void Leaves_an_add_alone_whose_bias_varies_along_other_axes_or_grows_the_rank(long[] biasDims)
    {
        var original = MatMulAdd([2, 5, 8], biasDims: biasDims);

        var (_, report) = PassTester.Run(original, new MatMulAddToGemmFusion());

        Assert.Empty(report.Applied);
    }

    [Fact]
    public void Leaves_the_graph_alone_when_the_product_has_a_second_reader()
    {
        var original = MatMulAdd([4, 8], sideReader: true);

        var (fused, report) = PassTester.Run(original, new MatMulAddToGemmFusion());

        Assert.Empty(report.Applied);
        Assert.Equal(["MatMul", "Add", "Relu"], PassTester.OpTypes(fused));
    }

    [Fact]
    public void Leaves_a_bias_that_is_a_graph_input_alone()
    {
        var (_, report) = PassTester.Run(MatMulAdd([4, 8], biasIsInput: true), new MatMulAddToGemmFusion());

        Assert.Empty(report.Applied);
    }

    [Fact]
    public void Leaves_a_batched_b_alone()
    {
        var b = new GraphBuilder(opset: 13);
        var x = b.Input("x", ElementType.Float, 2, 5, 8);
        var product = b.Node("MatMul", [x, b.RandomInitializer("w", 7, 2, 8, 6)]);
        b.Output(b.Node("Add", [product, b.RandomInitializer("bias", 8, 6)]), "y");

        var (_, report) = PassTester.Run(b.Build(), new MatMulAddToGemmFusion());

        Assert.Empty(report.Applied);
    }
}
