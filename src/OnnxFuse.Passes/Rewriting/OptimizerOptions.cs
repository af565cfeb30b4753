namespace OnnxFuse.Passes.Rewriting;

/// <summary>Which passes <see cref="Optimizer"/> runs and what they may emit.</summary>
public sealed record OptimizerOptions
{
    public OptimizationLevel Level { get; init; } = OptimizationLevel.All;

    /// <summary>When set, only these passes run (by kebab-case name), whatever their level.</summary>
    public IReadOnlyCollection<string>? Patterns { get; init; }

    /// <summary>Passes that never run.</summary>
    public IReadOnlyCollection<string> Disabled { get; init; } = [];

    /// <summary>Emit standard ONNX ops only: fusions whose result needs a com.microsoft op are skipped.</summary>
    public bool StandardOnly { get; init; }

    /// <summary>
    /// Raise the model's default-domain opset to this version before the passes run, so that they may emit the newer
    /// standard ops (LayerNormalization from 17, Gelu from 20); null keeps the model's opset. Never lowers it.
    /// </summary>
    public long? Opset { get; init; }

    /// <summary>Check the whole model with the graph verifier after every pass that changed it (a failure is a bug in the pass).</summary>
    public bool VerifyEachPass { get; init; } = true;

    /// <summary>Evaluates constant subgraphs for constant folding; without one, constant folding does nothing.</summary>
    public IConstantEvaluator? ConstantEvaluator { get; init; }

    /// <summary>Rounds of all passes before giving up on reaching a fixed point.</summary>
    public int MaxRounds { get; init; } = 20;
}
