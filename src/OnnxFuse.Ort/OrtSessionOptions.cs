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

    /// <summary>
    /// When set, ORT times every node's kernel and writes <c>PREFIX_DATE_TIME.json</c> (Chrome trace format, read by
    /// <see cref="OrtProfileFile"/>) when the session is disposed. The prefix is a path without the extension.
    /// </summary>
    public string? ProfileFilePrefix { get; init; }
}
