namespace OnnxFuse.Engine.Kernels.Gemm;

/// <summary>Pinned pointers and arguments of one GEMM call, shared by the loops and the worker threads.</summary>
unsafe readonly struct GemmOperands
{
    public float* A { get; init; }
    public float* B { get; init; }
    public float* C { get; init; }
    public float* Bias { get; init; }
    public PackedMatrix? PackedA { get; init; }
    public PackedMatrix? PackedB { get; init; }
    public GemmParameters Parameters { get; init; }

    /// <summary>The same operands shifted to batch entry <paramref name="index"/> (packed operands are shared).</summary>
    public GemmOperands AtBatch(int index, long strideA, long strideB, long strideC) => this with
    {
        A = PackedA is null ? A + index * strideA : A,
        B = PackedB is null ? B + index * strideB : B,
        C = C + index * strideC,
    };
}
