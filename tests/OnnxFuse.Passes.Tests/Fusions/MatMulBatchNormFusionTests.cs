using OnnxFuse.Ir.Building;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;
using OnnxFuse.Passes.Fusions;

namespace OnnxFuse.Passes.Tests.Fusions;

/// <summary>Oracle: the unfused model on both targets; tolerance rtol 1e-4, atol 1e-5.</summary>
public sealed class MatMulBatchNormFusionTests
{
    /// <summary>x[3,5] (or [2,3,5]) → MatMul(W [5,4]) → BatchNormalization over axis 1 → y.</summary>
    static Model MatMulBatchNorm(params Dim[] inputDims)
    {
        var b = new GraphBuilder(opset: 13);
        var x = b.Input("x", ElementType.Float, inputDims);
        var product = b.Node("MatMul", [x, b.RandomInitializer("w", 7, 5, 4)]);
        var channels = inputDims.Length == 2 ? 4 : inputDims[1].Value!.Value;
        var y = b.Node("BatchNormalization", [product, b.RandomInitializer("scale", 9, channels), b.RandomInitializer("bias", 10, channels),
            b.RandomInitializer("mean", 11, channels), b.Initializer("var", TensorData.Create<float>([channels], [.. Enumerable.Repeat(0.7f, (int)channels)]))]);
        b.Output(y, "y");
        return b.Build();
    }

    [Fact]
    public void Folds_a_2d_matmul_and_batchnorm_into_a_gemm()
    {
        var original = MatMulBatchNorm(3, 5);

        var (fused, report) = PassTester.Run(original, new MatMulBatchNormFusion());

        Assert.Single(report.Applied);
        Assert.Equal(["Gemm"], PassTester.OpTypes(fused));
        Assert.Equal("y", fused.Graph.Outputs[0].Name);
        PassTester.AssertSameOutputs(original, fused, seed: 2);
    }

    [Fact]
    public void Leaves_a_batched_matmul_whose_channel_axis_is_not_the_product_columns_alone()
    {
        var original = MatMulBatchNorm(2, 3, 5);

        var (fused, report) = PassTester.Run(original, new MatMulBatchNormFusion());

        Assert.Empty(report.Applied);
        Assert.Equal(["MatMul", "BatchNormalization"], PassTester.OpTypes(fused));
    }
}
