namespace OnnxFuse.Engine.Kernels.Gemm;

/// <summary>
/// Cache-blocked GEMM on the Vector512 microkernel (<see cref="GemmMicroKernelVector512"/>):
/// C = activation(alpha · op(A) · op(B) + beta · C + bias), shapes in <see cref="GemmParameters"/>.
/// Runs on any hardware (tests use it everywhere); it is fast only where Vector512 is accelerated.
/// </summary>
public static class GemmKernelVector512
{
    public static void Run(ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> bias, in GemmParameters p, Span<float> c) =>
        GemmDriver.Run<GemmMicroKernelVector512>(a, null, b, null, bias, p, GemmVariant.Vector512, c);

    /// <summary>op(B) prepacked by <see cref="PackedMatrix.PackB"/> for <see cref="GemmVariant.Vector512"/>.</summary>
    public static void Run(ReadOnlySpan<float> a, PackedMatrix b, ReadOnlySpan<float> bias, in GemmParameters p, Span<float> c) =>
        GemmDriver.Run<GemmMicroKernelVector512>(a, null, default, b, bias, p, GemmVariant.Vector512, c);

    /// <summary>op(A) prepacked by <see cref="PackedMatrix.PackA"/> for <see cref="GemmVariant.Vector512"/>.</summary>
    public static void Run(PackedMatrix a, ReadOnlySpan<float> b, ReadOnlySpan<float> bias, in GemmParameters p, Span<float> c) =>
        GemmDriver.Run<GemmMicroKernelVector512>(default, a, b, null, bias, p, GemmVariant.Vector512, c);

    /// <summary>Strided batch (see <see cref="GemmBatch"/>); pass <paramref name="packedB"/> to share one prepacked B.</summary>
    public static void RunStridedBatch(ReadOnlySpan<float> a, ReadOnlySpan<float> b, PackedMatrix? packedB, ReadOnlySpan<float> bias,
        in GemmParameters p, GemmBatch batch, Span<float> c) =>
        GemmDriver.RunStridedBatch<GemmMicroKernelVector512>(a, b, packedB, bias, p, batch, GemmVariant.Vector512, c);
}
