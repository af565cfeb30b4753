namespace OnnxFuse.Ir.Inference;

/// <summary>
/// What <see cref="ShapeInference.Run"/> did: how many values it typed, which values stay (partly) unknown and
/// why, where declared types disagree with inferred ones, and the same counts per operator type.
/// </summary>
public sealed class ShapeInferenceReport
{
    readonly List<UnresolvedValue> _unresolved = [];
    readonly List<ShapeConflict> _conflicts = [];
    readonly SortedDictionary<string, OpTypeInferenceStats> _byOpType = new(StringComparer.Ordinal);

    /// <summary>Node outputs whose type inference set or refined.</summary>
    public int InferredCount { get; internal set; }

    /// <summary>Values without an element type or a fully known shape (symbolic dims count as known).</summary>
    public IReadOnlyList<UnresolvedValue> Unresolved => _unresolved;

    public IReadOnlyList<ShapeConflict> Conflicts => _conflicts;

    /// <summary>Per operator type ("Conv", "com.microsoft.Attention"): nodes seen, outputs typed, outputs left unknown.</summary>
    public IReadOnlyDictionary<string, OpTypeInferenceStats> ByOpType => _byOpType;

    internal void AddUnresolved(UnresolvedValue value) => _unresolved.Add(value);

    internal void AddConflict(ShapeConflict conflict) => _conflicts.Add(conflict);

    internal OpTypeInferenceStats Stats(string opType)
    {
        if (!_byOpType.TryGetValue(opType, out var stats))
            _byOpType.Add(opType, stats = new OpTypeInferenceStats());
        return stats;
    }

    public override string ToString() =>
        $"{InferredCount} values inferred, {_unresolved.Count} unresolved, {_conflicts.Count} conflicts";
}

/// <summary>A value inference could not fully type: its name, the node producing it (if any) and why.</summary>
public sealed record UnresolvedValue(string ValueName, string? NodeName, string? OpType, string Reason);

/// <summary>A declared type that disagrees with the inferred one (or inputs an operator rejects).</summary>
public sealed record ShapeConflict(string ValueName, string NodeName, string OpType, string Message);

/// <summary>Counts for one operator type.</summary>
public sealed class OpTypeInferenceStats
{
    public int NodeCount { get; internal set; }

    public int InferredOutputs { get; internal set; }

    public int UnresolvedOutputs { get; internal set; }

    /// <summary>True when no inference rule knows this operator.</summary>
    public bool NoRule { get; internal set; }

    public override string ToString() => $"{NodeCount} nodes, {InferredOutputs} inferred, {UnresolvedOutputs} unresolved";
}
