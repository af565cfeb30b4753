namespace OnnxFuse.Engine;

/// <summary>Settings of an <see cref="InferenceSession"/>.</summary>
public sealed record EngineOptions
{
    /// <summary>
    /// Threads a run may use: independent components of the main graph (the models of a parallel fusion) run
    /// concurrently, one per thread; otherwise a single large kernel (MatMul, Gemm, Conv) splits its work. 1 runs
    /// everything on the caller's thread.
    /// </summary>
    public int ThreadCount { get; init; } = Environment.ProcessorCount;
}
