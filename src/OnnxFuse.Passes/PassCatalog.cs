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

        // Normalization and GELU

        // Attention
        new AttentionFusion(),
    ];
}
