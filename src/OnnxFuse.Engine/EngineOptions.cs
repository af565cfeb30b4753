namespace OnnxFuse.Engine;

/// <summary>Settings of an <see cref="InferenceSession"/>.</summary>
public sealed record EngineOptions
{
    /// <summary>
    /// Threads a run may use. When the main graph has at least as many independent components (the models of a
    /// parallel fusion) as threads, the components run concurrently, each on one thread; otherwise single large
    /// kernels (MatMul, Gemm, Conv) split their work across the threads. 1 runs everything on the caller's thread.
    /// </summary>
    public int ThreadCount { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// Time every node's kernel; the totals are in <see cref="InferenceSession.NodeProfile"/>. Costs two timestamps per
    /// node and run.
    /// </summary>
    public bool ProfileNodes { get; init; }
}
