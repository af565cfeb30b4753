using OnnxFuse.Engine.Simd;

namespace OnnxFuse.Engine.Kernels.Gemm;

/// <summary>
/// Single-precision GEMM, C = activation(alpha · op(A) · op(B) + beta · C + bias) (see <see cref="GemmParameters"/>),
/// dispatched to the widest variant <see cref="SimdCapability.Width"/> allows: <see cref="GemmKernelVector512"/>,
/// <see cref="GemmKernelVector256"/>, else <see cref="GemmKernelScalar"/>. Calls with a prepacked operand run the
/// variant it was packed for.
/// </summary>
public static class GemmKernel
{
    public static GemmVariant DefaultVariant { get; } = SimdCapability.Width switch
    {
        SimdWidth.Vector512 => GemmVariant.Vector512,
        SimdWidth.Vector256 => GemmVariant.Vector256,
        _ => GemmVariant.Scalar,
    };

    /// <summary>Packs a constant op(B) [depth × columnCount] once for <see cref="DefaultVariant"/>.</summary>
    public static PackedMatrix PackB(ReadOnlySpan<float> b, int depth, int columnCount, bool transposeB = false, int leadingB = 0) =>
        PackedMatrix.PackB(b, depth, columnCount, transposeB, leadingB, DefaultVariant);

    /// <summary>Packs a constant op(A) [rowCount × depth] once for <see cref="DefaultVariant"/>.</summary>
    public static PackedMatrix PackA(ReadOnlySpan<float> a, int rowCount, int depth, bool transposeA = false, int leadingA = 0) =>
        PackedMatrix.PackA(a, rowCount, depth, transposeA, leadingA, DefaultVariant);

    public static void Run(ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> bias, in GemmParameters p, Span<float> c)
    {
        switch (DefaultVariant)
        {
            case GemmVariant.Vector512: GemmKernelVector512.Run(a, b, bias, p, c); break;
            case GemmVariant.Vector256: GemmKernelVector256.Run(a, b, bias, p, c); break;
            default: GemmKernelScalar.Run(a, b, bias, p, c); break;
        }
    }

    public static void Run(ReadOnlySpan<float> a, PackedMatrix b, ReadOnlySpan<float> bias, in GemmParameters p, Span<float> c)
    {
        switch (b.Variant)
        {
            case GemmVariant.Vector512: GemmKernelVector512.Run(a, b, bias, p, c); break;
            case GemmVariant.Vector256: GemmKernelVector256.Run(a, b, bias, p, c); break;
            default: GemmKernelScalar.Run(a, b, bias, p, c); break;
        }
    }

    public static void Run(PackedMatrix a, ReadOnlySpan<float> b, ReadOnlySpan<float> bias, in GemmParameters p, Span<float> c)
    {
        switch (a.Variant)
        {
            case GemmVariant.Vector512: GemmKernelVector512.Run(a, b, bias, p, c); break;
            case GemmVariant.Vector256: GemmKernelVector256.Run(a, b, bias, p, c); break;
            default: GemmKernelScalar.Run(a, b, bias, p, c); break;
        }
    }

    /// <summary>
    /// Strided-batch MatMul entry (see <see cref="GemmBatch"/>). With several threads and at least as many entries,
    /// entries are spread over threads; otherwise each entry uses the threads itself.
    /// </summary>
    public static void RunStridedBatch(ReadOnlySpan<float> a, ReadOnlySpan<float> b, PackedMatrix? packedB, ReadOnlySpan<float> bias,
        in GemmParameters p, GemmBatch batch, Span<float> c)
    {
        switch (packedB?.Variant ?? DefaultVariant)
        {
            case GemmVariant.Vector512: GemmKernelVector512.RunStridedBatch(a, b, packedB, bias, p, batch, c); break;
            case GemmVariant.Vector256: GemmKernelVector256.RunStridedBatch(a, b, packedB, bias, p, batch, c); break;
            default: GemmKernelScalar.RunStridedBatch(a, b, packedB, bias, p, batch, c); break;
        }
    }
}
