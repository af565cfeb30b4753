namespace OnnxFuse.Ir.Editing;

/// <summary>What <see cref="NamePrefixer"/> renames. The defaults prefix every value, node and graph name.</summary>
public sealed record NamePrefixOptions
{
    /// <summary>Prefix value names (graph inputs, initializers, node outputs), in subgraphs too.</summary>
    public bool Values { get; init; } = true;

    /// <summary>Prefix node names, in subgraphs too.</summary>
    public bool Nodes { get; init; } = true;

    /// <summary>Prefix the names of the graph and its subgraphs.</summary>
    public bool Graphs { get; init; } = true;

    /// <summary>Keep the names of the top graph's inputs (its callers' interface).</summary>
    public bool KeepGraphInputNames { get; init; }

    /// <summary>Keep the names of the top graph's outputs (its callers' interface).</summary>
    public bool KeepGraphOutputNames { get; init; }

    /// <summary>Prefix symbolic dimension names (<c>batch</c> → <c>m1_batch</c>) in every value's type.</summary>
    public bool SymbolicDims { get; init; }
}
