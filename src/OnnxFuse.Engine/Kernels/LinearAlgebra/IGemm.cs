namespace OnnxFuse.Engine.Kernels.LinearAlgebra;

/// <summary>
/// The matrix product every MatMul, Gemm and Conv kernel goes through, so a faster implementation can replace
/// <see cref="SimpleGemm"/> in one place (<see cref="GemmProvider"/>).
/// </summary>
interface IGemm
{
    /// <summary>
    /// C[rowCount, columnCount] = A[rowCount, innerCount] · B[innerCount, columnCount] (or += when
    /// <paramref name="accumulate"/>); all row-major and contiguous. May use up to <paramref name="threadCount"/> threads.
    /// </summary>
    void Multiply(ReadOnlySpan<float> a, ReadOnlySpan<float> b, int rowCount, int innerCount, int columnCount, bool accumulate,
        int threadCount, Span<float> c);
}
