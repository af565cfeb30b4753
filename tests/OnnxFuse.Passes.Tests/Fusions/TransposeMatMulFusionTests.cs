using OnnxFuse.Ir.Building;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;
using OnnxFuse.Passes.Fusions;
using OnnxFuse.Passes.Rewriting;

namespace OnnxFuse.Passes.Tests.Fusions;

/// <summary>
/// Oracle: the unfused model on the managed engine and on ONNX Runtime (whose FusedMatMul is the reference for
/// transA/transB/alpha with batch axes); tolerance 1e-4 relative, 1e-5 absolute.
/// </summary>
public sealed class TransposeMatMulFusionTests
{
    const string FusedMatMul = "com.microsoft.FusedMatMul";

    /// <summary>MatMul(a', b') where a' and b' are a and b, each transposed by its perm when one is given.</summary>
    static Model Transposed(long[] aDims, long[] bDims, long[]? permA, long[]? permB, bool sideReader = false, float? divisor = null)
    {
        var b = new GraphBuilder(opset: 13);
        var a = b.Input("a", ElementType.Float, [.. aDims.Select(Dim.Of)]);
        var m = b.Input("b", ElementType.Float, [.. bDims.Select(Dim.Of)]);
        var left = permA is null ? a : b.Node("Transpose", [a], permA.Length == 0 ? [] : [Attr.Ints("perm", permA)]);
        var right = permB is null ? m : b.Node("Transpose", [m], permB.Length == 0 ? [] : [Attr.Ints("perm", permB)]);
        var product = b.Node("MatMul", [left, right]);
        b.Output(divisor is { } d ? b.Node("Div", [product, b.Initializer("d", TensorData.Scalar(d))]) : product, "y");
        if (sideReader)
            b.Output(b.Node("Relu", [right]), "side");
        return b.Build();
    }

    [Fact]
    public void Folds_a_transposed_b_with_batch_axes_into_trans_b()
    {
        var original = Transposed([2, 3, 4, 5], [2, 3, 6, 5], null, [0, 1, 3, 2]);

        var (fused, report) = PassTester.Run(original, new TransposeMatMulFusion());

        Assert.Single(report.Applied);
        var node = Assert.Single(fused.Graph.Nodes);
        Assert.Equal(FusedMatMul, PassTester.OpTypes(fused)[0]);
        Assert.Equal((0L, 1L), (node.GetInt("transA", 0), node.GetInt("transB", 0)));
        Assert.Equal("b", node.Input(1).Name);
        PassTester.AssertSameOutputs(original, fused, seed: 3);
    }

    [Fact]
    public void Folds_a_matrix_transposed_without_perm_into_trans_a()
    {
        var original = Transposed([5, 4], [5, 6], [], null);

        var (fused, _) = PassTester.Run(original, new TransposeMatMulFusion());

        Assert.Equal(1L, Assert.Single(fused.Graph.Nodes).GetInt("transA", 0));
        PassTester.AssertSameOutputs(original, fused, seed: 4);
    }

    [Fact]
    public void Folds_both_transposes_with_broadcast_batch_axes()
    {
        var original = Transposed([2, 1, 5, 4], [3, 6, 5], [0, 1, 3, 2], [0, 2, 1]);

        var (fused, _) = PassTester.Run(original, new TransposeMatMulFusion());

        var node = Assert.Single(fused.Graph.Nodes);
        Assert.Equal((1L, 1L), (node.GetInt("transA", 0), node.GetInt("transB", 0)));
        PassTester.AssertSameOutputs(original, fused, seed: 5);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Folds_the_transpose_of_a_constant_weight_which_the_engine_packs_transposed(bool transposeBatchedA)
    {
        var b = new GraphBuilder(opset: 13);
        var x = b.Input("x", ElementType.Float, transposeBatchedA ? [2, 5, 4] : [2, 4, 5]);
        var left = transposeBatchedA ? b.Node("Transpose", [x], Attr.Ints("perm", [0, 2, 1])) : x;
        b.Output(b.Node("MatMul", [left, b.Node("Transpose", [b.RandomInitializer("w", 7, 6, 5)], Attr.Ints("perm", [1, 0]))]), "y");
        var original = b.Build();

        var (fused, _) = PassTester.Run(original, new TransposeMatMulFusion());

        var node = Assert.Single(fused.Graph.Nodes);
        Assert.Equal((transposeBatchedA ? 1L : 0L, 1L), (node.GetInt("transA", 0), node.GetInt("transB", 0)));
        Assert.True(node.Input(1).IsConstant);
        PassTester.AssertSameOutputs(original, fused, seed: 7);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Ends_in_one_fused_matmul_with_the_scale_whichever_pass_runs_first(bool scaleFirst)
    {
        var original = Transposed([2, 4, 5], [2, 6, 5], null, [0, 2, 1], divisor: 4f);
        Pass[] passes = scaleFirst ? [new MatMulScaleFusion(), new TransposeMatMulFusion()] : [new TransposeMatMulFusion(), new MatMulScaleFusion()];

        var (fused, _) = PassTester.Run(original, passes);

        var node = Assert.Single(fused.Graph.Nodes);
        Assert.Equal((1L, 0.25f), (node.GetInt("transB", 0), node.GetFloat("alpha", 1f)));
        PassTester.AssertSameOutputs(original, fused, seed: 6);
    }

    public static TheoryData<long[], long[]> PermsThatMoveLeadingAxes => new()
    {
        { [0, 2, 3, 1], [2, 3, 2, 5] }, // BERT's key transpose
        { [1, 0, 3, 2], [2, 2, 3, 5] },
        { [], [3, 5, 2, 2] },           // no perm: all four axes reversed
    };

    [Theory]
    [MemberData(nameof(PermsThatMoveLeadingAxes))]
    public void Leaves_transposes_alone_that_move_leading_axes(long[] perm, long[] bDims)
    {
        var (_, report) = PassTester.Run(Transposed([2, 2, 4, 5], bDims, null, perm), new TransposeMatMulFusion());

        Assert.Empty(report.Applied);
    }

    [Fact]
    public void Leaves_a_transpose_with_a_second_reader_alone()
    {
        var (fused, report) = PassTester.Run(Transposed([4, 5], [6, 5], null, [1, 0], sideReader: true), new TransposeMatMulFusion());

        Assert.Empty(report.Applied);
        Assert.Equal(["Transpose", "MatMul", "Relu"], PassTester.OpTypes(fused));
    }

    [Fact]
    public void Emits_nothing_when_only_standard_ops_are_allowed()
    {
        var original = Transposed([4, 5], [6, 5], null, [1, 0]);

        var (_, report) = PassTester.Run(original, new OptimizerOptions { StandardOnly = true }, new TransposeMatMulFusion());

        Assert.Empty(report.Applied);
    }
}
