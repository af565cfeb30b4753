using OnnxFuse.Ir.Errors;

namespace OnnxFuse.Engine.Kernels.Gemm;

/// <summary>
/// A strided batch: entry i uses A + i·StrideA, B + i·StrideB, C + i·StrideC (in elements). A stride of 0
/// broadcasts that operand (MatMul of [batch × M × K] by a shared [K × N] weight); the bias is shared.
/// </summary>
public readonly record struct GemmBatch(int Count, long StrideA, long StrideB, long StrideC)
{
    internal void Validate()
    {
        if (Count < 0 || StrideA < 0 || StrideB < 0 || StrideC < 0)
            Throw.ShapeMismatch($"Batched GEMM needs a non-negative count and strides, got {Count} ({StrideA}, {StrideB}, {StrideC}).");
        if (Count > 1 && StrideC == 0)
            Throw.ShapeMismatch("Batched GEMM entries cannot share one C (StrideC = 0).");
    }
}
