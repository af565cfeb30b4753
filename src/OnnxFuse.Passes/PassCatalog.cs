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

        // Convolution and Gemm: weight folding, then activations

        new ConvBatchNormFusion(),

        // MatMul: bias, scale, transposes, QKV packing
        // This section must run after "Normalization and GELU" and "Attention", which read patterns these passes
        // rewrite: GELU's final ·0.5 (matmul-scale folds it into the next MatMul), attention's projections
        // (MatMul → Add) and its Q·Kᵀ scale (MatMul → Div). qkv comes before matmul-add, which would turn the
        // projections into Gemms that qkv does not match; matmul-add then folds the packed bias.
        new TransposeMatMulFusion(),
        new MatMulScaleFusion(),
        new QkvPackingFusion(),
        new MatMulAddToGemmFusion(),

        // Normalization and GELU

        // Attention
    ];
}
