using OnnxFuse.Ir.Graphs;

namespace OnnxFuse.Passes.Rewriting;

/// <summary>
/// A rewrite pass, seen by <see cref="PassManager"/> without its match type. Passes are written as
/// <see cref="RewriteRule{TMatch}"/>; this base exists so a list of passes can hold rules of every match type.
/// </summary>
public abstract class Pass
{
    /// <summary>The kebab-case name used in reports, <c>--patterns</c> and <c>--disable</c> (<c>conv-batchnorm</c>).</summary>
    public abstract string Name { get; }

    /// <summary>One line saying what the pass rewrites into what.</summary>
    public abstract string Summary { get; }

    public abstract OptimizationLevel Level { get; }

    /// <summary>The op type a match is rooted at, or null when any node may root one.</summary>
    public abstract string? RootOpType { get; }

    /// <summary>The root op's domain ("" for ONNX).</summary>
    public virtual string RootDomain => "";

    internal bool CanRoot(Node node) =>
        RootOpType is null || (node.OpType == RootOpType && OpsetImports.Normalize(node.Domain) == RootDomain);

    /// <summary>Matches at <paramref name="root"/>: the match, or null when the pattern is not there.</summary>
    internal abstract PassMatch? FindMatch(Node root, PassContext context);

    internal abstract void Apply(PassMatch match, PassContext context);
}

/// <summary>A match with the nodes it covers (the nodes the rewrite may replace) and the pass's own record.</summary>
sealed record PassMatch(Pass Pass, object Payload, IReadOnlyList<Node> Nodes, int NodesCreated);
