using OnnxFuse.Ir.Graphs;

namespace OnnxFuse.Passes.Matching;

/// <summary>What cleanups ask about a node as a whole, rather than about its edges or constants.</summary>
public static class NodeTraits
{
    /// <summary>Ops that draw random numbers. Dropout is among them: in training mode it does.</summary>
    static readonly HashSet<string> s_random = new(StringComparer.Ordinal)
    {
        "Bernoulli", "Dropout", "Multinomial", "RandomNormal", "RandomNormalLike", "RandomUniform", "RandomUniformLike",
    };

    /// <summary>
    /// Whether the node's outputs are a function of its inputs and attributes alone, so equal inputs give equal
    /// outputs: a default-domain op (other domains' ops are not known to us) that draws no random numbers and holds
    /// no subgraph (a body would need the same question asked of every node in it).
    /// </summary>
    public static bool IsPure(this Node node) =>
        node.IsDefaultDomain && !s_random.Contains(node.OpType) && !node.Attributes.Any(a => a.Kind is AttrKind.Graph or AttrKind.Graphs);
}
