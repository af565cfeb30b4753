using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using OnnxFuse.Ir.Editing;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Passes.Matching;
using OnnxFuse.Passes.Rewriting;

namespace OnnxFuse.Passes.Cleanup;

/// <summary>
/// Computes each thing once:
/// <code>
/// a = op(x, y) {attrs};  b = op(x, y) {attrs}      ⇒  readers of b read a
/// initializer w₂ with w₁'s type, dims and bytes    ⇒  readers of w₂ read w₁   (w₁ earlier in the graph)
/// </code>
/// Nodes are the same when their op type, domain, attributes (by value: floats by bits, tensors by content) and
/// inputs (the same values, in order) agree and the op is pure (<see cref="NodeTraits.IsPure"/>: no random ops,
/// no subgraphs); the earlier node stays. Constant nodes holding equal tensors merge this way. When b is a graph
/// output, a takes over its name (<see cref="GraphRewriter.Bypass(Node, IReadOnlyList{Value})"/>); when a is one
/// too, both stay. Initializers are compared by element count, dims and a hash of their bytes (computed once per
/// tensor) before byte by byte; an initializer that is a graph output keeps its name and is not merged away.
/// </summary>
public sealed class CommonSubexpressionElimination : RewriteRule<CommonSubexpressionElimination.Match>
{
    public abstract record Match;

    /// <summary><paramref name="Duplicate"/> computes what <paramref name="Kept"/>, earlier in the same graph, computes.</summary>
    public sealed record SameNode(Node Kept, Node Duplicate) : Match;

    /// <summary><paramref name="Reader"/> reads <paramref name="Duplicate"/>, an initializer equal to the earlier <paramref name="Kept"/>.</summary>
    public sealed record SameInitializer(Node Reader, Value Kept, Value Duplicate) : Match;

    static readonly ConditionalWeakTable<TensorData, StrongBox<int>> s_contentHashes = [];

    public override string Name => "common-subexpression";

    public override string Summary => "merges nodes that compute the same thing and initializers that hold the same tensor";

    public override OptimizationLevel Level => OptimizationLevel.Basic;

    public override string? RootOpType => null;

    public override Match? TryMatch(Node root, PassContext context) =>
        EarlierTwin(root) is { } kept ? new SameNode(kept, root) : DuplicateInitializerReadBy(root);

    public override void Rewrite(Match match, PassContext context)
    {
        switch (match)
        {
            case SameNode(var kept, var duplicate):
                GraphRewriter.Bypass(duplicate, kept.Outputs);
                break;
            case SameInitializer(_, var kept, var duplicate):
                duplicate.ReplaceAllUsesWith(kept);
                break;
        }
    }

    public override IReadOnlyList<Node> MatchedNodes(Match match) => match switch
    {
        SameNode(var kept, var duplicate) => [kept, duplicate],
        SameInitializer same => [same.Reader],
        _ => [],
    };

    static Node? EarlierTwin(Node node)
    {
        if (!node.IsPure() || node.Outputs.Count == 0)
            return null;
        var graph = node.Graph;
        // A twin reads the same values, so the readers of one input are the only candidates; without inputs
        // (Constant nodes), every node before this one is.
        var candidates = node.Inputs.FirstOrDefault(i => i is not null) is { } input
            ? input.Consumers.Where(n => ReferenceEquals(n.Graph, graph) && graph.IndexOf(n) < graph.IndexOf(node))
            : graph.Nodes.TakeWhile(n => !ReferenceEquals(n, node));
        return candidates.FirstOrDefault(candidate => SameComputation(candidate, node) && CanTakeOverOutputs(candidate, node));
    }

    static bool SameComputation(Node a, Node b) =>
        a.OpType == b.OpType && OpsetImports.Normalize(a.Domain) == OpsetImports.Normalize(b.Domain)
        && a.Outputs.Count == b.Outputs.Count && a.Inputs.SequenceEqual(b.Inputs, ReferenceEqualityComparer.Instance)
        && a.Attributes.Count == b.Attributes.Count && a.Attributes.All(x => b.FindAttr(x.Name) is { } y && SameAttribute(x, y));

    static bool SameAttribute(Attr x, Attr y) => x.Kind == y.Kind && x.RefAttrName == y.RefAttrName && (x.Payload, y.Payload) switch
    {
        (null, null) => true,
        (float p, float q) => BitConverter.SingleToInt32Bits(p) == BitConverter.SingleToInt32Bits(q),
        (long p, long q) => p == q,
        (string p, string q) => p == q,
        (float[] p, float[] q) => MemoryMarshal.AsBytes(p.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(q.AsSpan())),
        (long[] p, long[] q) => p.AsSpan().SequenceEqual(q),
        (string[] p, string[] q) => p.SequenceEqual(q, StringComparer.Ordinal),
        (TensorData p, TensorData q) => p.ContentEquals(q),
        (TensorData[] p, TensorData[] q) => p.Length == q.Length && p.Zip(q).All(t => t.First.ContentEquals(t.Second)),
        _ => false, // sparse tensors and types are not compared: such nodes stay apart
    };

    /// <summary>Every output of the duplicate that is read has a counterpart, and no graph output would lose its name.</summary>
    static bool CanTakeOverOutputs(Node kept, Node duplicate)
    {
        for (var i = 0; i < duplicate.Outputs.Count; i++)
        {
            if (duplicate.Outputs[i] is not { } output || (output.Uses.Count == 0 && !output.IsAnyGraphOutput()))
                continue;
            if (kept.Outputs[i] is not { } replacement || (output.IsGraphOutput && replacement.IsGraphOutput))
                return false;
        }
        return true;
    }

    static SameInitializer? DuplicateInitializerReadBy(Node reader)
    {
        foreach (var input in reader.Inputs.OfType<Value>().Distinct())
            if (input.IsInitializer && input.ConstantData is { } data && !input.IsAnyGraphOutput() && EarlierEqualInitializer(input, data) is { } kept)
                return new SameInitializer(reader, kept, input);
        return null;
    }

    static Value? EarlierEqualInitializer(Value initializer, TensorData data)
    {
        foreach (var candidate in initializer.Graph.Initializers)
        {
            if (ReferenceEquals(candidate, initializer))
                return null;
            if (candidate.ConstantData is { } other && other.ElementType == data.ElementType && other.ElementCount == data.ElementCount
                && other.Dims.SequenceEqual(data.Dims) && ContentHash(other) == ContentHash(data) && other.ContentEquals(data))
                return candidate;
        }
        return null;
    }

    static int ContentHash(TensorData data) => s_contentHashes.GetValue(data, static d =>
    {
        var hash = new HashCode();
        if (d.Strings is { } strings)
            foreach (var s in strings)
                hash.AddBytes(s);
        else
            hash.AddBytes(d.Bytes.Span);
        return new StrongBox<int>(hash.ToHashCode());
    }).Value;
}
