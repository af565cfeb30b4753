namespace OnnxFuse.Ir.Validation;

/// <summary>Which optional rules <see cref="GraphVerifier"/> applies.</summary>
public sealed record GraphVerifierOptions
{
    /// <summary>
    /// Report nodes that come before a producer they depend on. ONNX requires topological order in a saved file,
    /// so this is on by default; a loader may turn it off to check structure before <c>Toposort.Sort</c>
    /// repairs the order. Cycles are reported either way.
    /// </summary>
    public bool RequireTopologicalOrder { get; init; } = true;
}
