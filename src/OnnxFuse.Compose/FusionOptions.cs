namespace OnnxFuse.Compose;

/// <summary>Options of <see cref="ModelFusion.Fuse"/>.</summary>
public sealed record FusionOptions
{
    public FusionMode Mode { get; init; } = FusionMode.Parallel;

    /// <summary>
    /// One graph input feeds every model. Each model must have exactly one input, all of one element type with
    /// shapes that unify (a symbolic dim unifies with another symbol or with a fixed size). The shared input keeps
    /// the first model's input name, and symbolic dims are not prefixed.
    /// </summary>
    public bool ShareInput { get; init; }

    /// <summary>Name of the int64 scalar input that picks the model in <see cref="FusionMode.Switched"/> mode.</summary>
    public string IndexName { get; init; } = "index";

    public PrefixScheme Prefix { get; init; } = PrefixScheme.Index;

    /// <summary>Explicit prefixes, one per model; overrides <see cref="Prefix"/> when set.</summary>
    public IReadOnlyList<string>? Prefixes { get; init; }

    /// <summary>
    /// Upper bound on the estimated memory need (deduplicated weights + peak activations); exceeding it throws
    /// <see cref="Ir.Errors.BudgetExceededException"/>. Null: no check.
    /// </summary>
    public long? MemoryBudgetBytes { get; init; }
}
