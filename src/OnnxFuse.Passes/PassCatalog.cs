using OnnxFuse.Passes.Cleanup;
using OnnxFuse.Passes.Fusions;
using OnnxFuse.Passes.Rewriting;

namespace OnnxFuse.Passes;

/// <summary>Every pass, in running order: cleanups first, so fusions see tidy graphs, then fusions from small to large.</summary>
static class PassCatalog
{
    public static IReadOnlyList<Pass> All { get; } =
    [
        // Cleanup
        new IdentityElimination(),
        new ConstantHoisting(),
        new ConstantFolding(),
        new ShapeSimplification(),
        new CommonSubexpressionElimination(),

        // Convolution and Gemm: weight folding, then activations
        new ConvBatchNormFusion(),
        new ConvTransposeBatchNormFusion(),
        new GemmBatchNormFusion(),
        new MatMulBatchNormFusion(),
        new ConvMulFusion(),
        new ConvAddFusion(),
        new PadConvFusion(),
        new ConvActivationFusion(),
        new GemmActivationFusion(),
        new HardSwishFusion(),

        // Attention: before the MatMul passes, which would otherwise take its projections' biases, its scale and
        // its transposes apart.
        new AttentionFusion(),

        // Normalization and GELU: before matmul-add, so that projection biases become SkipLayerNormalization's and
        // BiasGelu's bias inputs.
        new LayerNormFusion(),
        new SkipLayerNormFusion(),
        new RmsNormFusion(),
        new GeluFusion(),
        new FastGeluFusion(),
        new QuickGeluFusion(),
        new BiasGeluFusion(),

        // MatMul: bias, scale, transposes, QKV packing. Last, because the passes above read patterns these rewrite:
        // GELU's final ·0.5 (matmul-scale folds it into the next MatMul), attention's projections (MatMul → Add) and
        // its Q·Kᵀ scale (MatMul → Div). qkv comes before matmul-add, which would turn the projections into Gemms
        // that qkv does not match; matmul-add then folds the packed bias.
        new TransposeMatMulFusion(),
        new MatMulScaleFusion(),
        new QkvPackingFusion(),
        new MatMulAddToGemmFusion(),
    ];
}
