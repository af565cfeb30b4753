namespace OnnxFuse.Engine;

/// <summary>Settings of an <see cref="InferenceSession"/>.</summary>
public sealed record EngineOptions
{
    /// <summary>Threads a single kernel may use (large MatMul, Gemm, Conv); 1 runs everything on the caller's thread.</summary>
    public int ThreadCount { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// Time every node's kernel; the totals are in <see cref="InferenceSession.NodeProfile"/>. Costs two timestamps per
    /// node and run.
    /// </summary>
    public bool ProfileNodes { get; init; }
}
