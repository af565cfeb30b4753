using OnnxFuse.Ir.Building;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;
using OnnxFuse.Passes.Fusions;

namespace OnnxFuse.Passes.Tests.Fusions;

/// <summary>Oracle: the unfused model on both targets; tolerance rtol 1e-4, atol 1e-5.</summary>
public sealed class GemmBatchNormFusionTests
{
    /// <summary>x[3,5] → Gemm(B [5,4] or [4,5] with transB, C of <paramref name="biasDims"/> or none, α 0.5, β 0.7) → BatchNormalization(4) → y.</summary>
    static Model GemmBatchNorm(bool transB, long[]? biasDims, bool constantWeight = true, bool sideReader = false)
    {
        var b = new GraphBuilder(opset: 13);
        var x = b.Input("x", ElementType.Float, 3, 5);
        long[] weightDims = transB ? [4, 5] : [5, 4];
        var weight = constantWeight ? b.RandomInitializer("w", 7, weightDims) : b.Input("w", ElementType.Float, [.. weightDims.Select(d => (Dim)d)]);
        var inputs = new List<Value> { x, weight };
        if (biasDims is not null)
            inputs.Add(b.RandomInitializer("c", 8, biasDims));
        var gemm = b.Node("Gemm", inputs, Attr.Int("transB", transB ? 1 : 0), Attr.Float("alpha", 0.5f), Attr.Float("beta", 0.7f));
        var y = b.Node("BatchNormalization", [gemm, b.RandomInitializer("scale", 9, 4), b.RandomInitializer("bias", 10, 4),
            b.RandomInitializer("mean", 11, 4), b.Initializer("var", TensorData.Create<float>([4], [0.5f, 1.5f, 0.01f, 2f]))], Attr.Float("epsilon", 1e-3f));
        b.Output(y, "y");
        if (sideReader)
            b.Output(b.Node("Relu", [gemm]), "side");
        return b.Build();
    }

    public static TheoryData<bool, long[]?> Forms => new()
    {
        { false, null },
        { true, null },
        { false, [4] },
        { true, [1, 4] },
        { false, [] },
        { true, [3, 4] },
        { false, [3, 1] },
    };

    [Theory, MemberData(nameof(Forms))]
    public void Folds_batchnorm_into_the_gemm_weights_and_bias(bool transB, long[]? biasDims)
    {
        var original = GemmBatchNorm(transB, biasDims);

        var (fused, report) = PassTester.Run(original, new GemmBatchNormFusion());

        Assert.Single(report.Applied);
        Assert.Equal(["Gemm"], PassTester.OpTypes(fused));
        Assert.Equal(1f, fused.Graph.Nodes[0].GetFloat("beta", 1f));
        PassTester.AssertSameOutputs(original, fused, seed: 5);
    }

    [Fact]
    public void Leaves_a_gemm_with_run_time_weights_alone()
    {
        var original = GemmBatchNorm(transB: false, biasDims: [4], constantWeight: false);

        var (_, report) = PassTester.Run(original, new GemmBatchNormFusion());

        Assert.Empty(report.Applied);
    }

    [Fact]
    public void Leaves_the_graph_alone_when_the_gemm_output_has_a_second_reader()
    {
        var original = GemmBatchNorm(transB: true, biasDims: [4], sideReader: true);

        var (fused, report) = PassTester.Run(original, new GemmBatchNormFusion());

        Assert.Empty(report.Applied);
        Assert.Equal(["Gemm", "BatchNormalization", "Relu"], PassTester.OpTypes(fused));
    }
}
