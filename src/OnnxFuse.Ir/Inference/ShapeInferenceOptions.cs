namespace OnnxFuse.Ir.Inference;

/// <summary>Settings for <see cref="ShapeInference.Run"/>.</summary>
public sealed record ShapeInferenceOptions
{
    /// <summary>
    /// Throw <see cref="Errors.ShapeMismatchException"/> (naming node and value) at the first conflict between a
    /// declared type and the inferred one, or at inputs an operator cannot accept. Otherwise conflicts are only reported.
    /// </summary>
    public bool ThrowOnConflict { get; init; }

    /// <summary>Fold small integer computations (Shape → Gather → Concat → Reshape chains) to refine shapes.</summary>
    public bool PropagateData { get; init; } = true;
}
