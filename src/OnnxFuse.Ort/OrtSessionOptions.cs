namespace OnnxFuse.Ort;

/// <summary>Settings for <see cref="OrtSession.Create(string, OrtSessionOptions?)"/>; immutable, safe to share.</summary>
public sealed record OrtSessionOptions
{
    /// <summary>ORT's default options: all graph optimizations, ORT's own choice of thread counts.</summary>
    public static OrtSessionOptions Default { get; } = new();

    public GraphOptimizationLevel GraphOptimizationLevel { get; init; } = GraphOptimizationLevel.All;

    /// <summary>Threads that split the work inside one node; 0 lets ORT choose (one per physical core), 1 runs on the caller's thread.</summary>
    public int IntraOpThreads { get; init; }

    /// <summary>Threads that run independent nodes in parallel (ORT's parallel execution mode only); 0 lets ORT choose.</summary>
    public int InterOpThreads { get; init; }
}
