using OnnxFuse.Ort;

namespace OnnxFuse.Runtime;

/// <summary>How a <see cref="ModelRunner"/> runs its model.</summary>
public sealed record RunnerOptions
{
    public ExecutionTarget Target { get; init; } = ExecutionTarget.Managed;

    /// <summary>Intra-op threads; 0 lets the target choose (the managed engine uses every core).</summary>
    public int ThreadCount { get; init; }

    /// <summary>ONNX Runtime's own graph optimizations (ignored by the managed engine).</summary>
    public GraphOptimizationLevel OrtOptimization { get; init; } = GraphOptimizationLevel.All;
}
