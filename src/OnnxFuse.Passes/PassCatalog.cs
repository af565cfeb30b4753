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

        // MatMul: bias, scale, transposes, QKV packing

        // Normalization and GELU

        // Attention
    ];
}
