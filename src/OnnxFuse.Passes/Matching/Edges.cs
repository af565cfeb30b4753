using OnnxFuse.Ir.Graphs;

namespace OnnxFuse.Passes.Matching;

/// <summary>Questions matchers ask about edges: who produces a value, and whether one node is its only reader.</summary>
public static class Edges
{
    /// <summary>The node producing <paramref name="value"/> when it is a <paramref name="opType"/> of <paramref name="domain"/>, else null.</summary>
    public static Node? ProducedBy(this Value? value, string opType, string domain = "") =>
        value?.Producer is { } producer && producer.OpType == opType && OpsetImports.Normalize(producer.Domain) == domain
            ? producer
            : null;

    /// <summary>
    /// The one node that reads <paramref name="value"/> (through one input or several), when no other node and no
    /// graph output (in any scope) reads it: the condition for folding the value's producer into that reader.
    /// </summary>
    public static Node? SoleConsumer(this Value value)
    {
        if (value.Uses.Count == 0 || IsAnyGraphOutput(value))
            return null;
        var reader = value.Uses[0].Node;
        return value.Uses.All(u => ReferenceEquals(u.Node, reader)) && ReferenceEquals(reader.Graph, value.Graph) ? reader : null;
    }

    /// <summary>Whether <paramref name="value"/> is read by <paramref name="reader"/> alone (see <see cref="SoleConsumer"/>).</summary>
    public static bool IsOnlyReadBy(this Value value, Node reader) => ReferenceEquals(value.SoleConsumer(), reader);

    /// <summary>Whether every reader of <paramref name="value"/> is one of <paramref name="readers"/>, and no graph output names it.</summary>
    public static bool IsOnlyReadBy(this Value value, IReadOnlyCollection<Node> readers) =>
        !IsAnyGraphOutput(value) && value.Uses.All(u => readers.Contains(u.Node));

    /// <summary>Whether <paramref name="value"/> is an output of its graph or of a subgraph that names it directly.</summary>
    public static bool IsAnyGraphOutput(this Value value) => value.Graph.SelfAndDescendants().Any(g => g.Outputs.Contains(value));

    /// <summary>Whether the node's outputs past the first are all omitted or unread (e.g. BatchNormalization's running statistics).</summary>
    public static bool OnlyFirstOutputUsed(this Node node) =>
        node.Outputs.Skip(1).All(o => o is null || (o.Uses.Count == 0 && !o.IsAnyGraphOutput()));
}
