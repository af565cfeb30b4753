using OnnxFuse.Ir.Graphs;

namespace OnnxFuse.Ir.Editing;

/// <summary>
/// Node-level edits for rewrite passes: replace a node by another operator that keeps its output values (names,
/// types and readers), bypass a node, and insert nodes before, after, or on a value's edge. Every edit keeps
/// producer and use lists consistent and keeps the graph's interface names (graph inputs and outputs) unchanged.
/// </summary>
public static class GraphRewriter
{
    /// <summary>
    /// Puts a new <paramref name="opType"/> node where <paramref name="node"/> was. The new node takes over the old
    /// node's output values (same objects, so every reader and graph output follows) and its name.
    /// </summary>
    public static Node ReplaceNode(Node node, string opType, IEnumerable<Value?> inputs, IEnumerable<Attr>? attributes = null, string domain = "")
    {
        var graph = node.Graph;
        var replacement = graph.AddNode(opType, inputs, [], attributes, domain: domain, before: node);
        node.MoveOutputsTo(replacement);
        var name = node.Name;
        graph.RemoveNode(node);
        replacement.Name = name;
        return replacement;
    }

    /// <summary>
    /// Removes <paramref name="node"/> after pointing every reader of its outputs to <paramref name="replacements"/>
    /// (one per output; null only for outputs nothing reads). When an output is also an output of the node's own
    /// graph, its replacement takes over the output's name, so the graph's interface is unchanged; that needs a
    /// replacement produced by a node of the same graph that is neither a graph input nor already a graph output.
    /// </summary>
    public static void Bypass(Node node, IReadOnlyList<Value?> replacements)
    {
        if (replacements.Count != node.Outputs.Count)
            throw new ArgumentException($"node {node.Describe()} has {node.Outputs.Count} outputs, got {replacements.Count} replacements", nameof(replacements));
        var graph = node.Graph;
        var renames = new List<(Value Replacement, string Name)>();
        for (var i = 0; i < node.Outputs.Count; i++)
        {
            if (node.Outputs[i] is not { } output)
                continue;
            if (replacements[i] is not { } replacement)
            {
                if (output.Uses.Count > 0 || output.IsGraphOutput)
                    throw new ArgumentException($"output '{output.Name}' of node {node.Describe()} is still read, so it needs a replacement", nameof(replacements));
                continue;
            }
            if (output.IsGraphOutput)
            {
                if (!ReferenceEquals(replacement.Graph, graph) || replacement.Producer is null || replacement.IsGraphOutput || replacement.IsGraphInput)
                    throw new InvalidOperationException(
                        $"cannot bypass node {node.Describe()}: graph output '{output.Name}' would need to be renamed to '{replacement.Name}'");
                renames.Add((replacement, output.Name));
            }
            // The replacement computes the same value: a new node's output takes the known type now, so later matches in
            // the same round see its shape without waiting for shape inference.
            replacement.Type ??= output.Type;
            output.ReplaceAllUsesWith(replacement);
        }
        graph.RemoveNode(node);
        foreach (var (replacement, name) in renames)
            replacement.Name = name;
    }

    /// <summary>Single-output form of <see cref="Bypass(Node, IReadOnlyList{Value})"/>: <c>y = op(x) ⇒ y := replacement</c>.</summary>
    public static void Bypass(Node node, Value replacement) => Bypass(node, [replacement]);

    /// <summary>Adds a node just before <paramref name="anchor"/> in its graph's order.</summary>
    public static Node InsertBefore(Node anchor, string opType, IEnumerable<Value?> inputs, IEnumerable<string?> outputNames,
        IEnumerable<Attr>? attributes = null, string domain = "") =>
        anchor.Graph.AddNode(opType, inputs, outputNames, attributes, domain: domain, before: anchor);

    /// <summary>Adds a node just after <paramref name="anchor"/> in its graph's order.</summary>
    public static Node InsertAfter(Node anchor, string opType, IEnumerable<Value?> inputs, IEnumerable<string?> outputNames,
        IEnumerable<Attr>? attributes = null, string domain = "")
    {
        var graph = anchor.Graph;
        var index = graph.IndexOf(anchor);
        var next = index + 1 < graph.Nodes.Count ? graph.Nodes[index + 1] : null;
        return graph.AddNode(opType, inputs, outputNames, attributes, domain: domain, before: next);
    }

    /// <summary>
    /// Splices <c>y = opType(value, extraInputs…)</c> onto <paramref name="value"/>'s edge: every former reader of
    /// <paramref name="value"/> (and every graph output naming it) reads <c>y</c> instead. When
    /// <paramref name="value"/> is an output of its own graph and not an input, the two swap names, so the graph's
    /// interface keeps its output names. The node goes right after the value's producer (first for graph inputs
    /// and initializers). Returns the new node.
    /// </summary>
    public static Node InsertOnEdge(Value value, string opType, IEnumerable<Value?>? extraInputs = null,
        IEnumerable<Attr>? attributes = null, string domain = "")
    {
        var graph = value.Graph;
        var outputName = graph.UniqueValueName($"{value.Name}_{opType.ToLowerInvariant()}");
        var inputs = new List<Value?> { value };
        inputs.AddRange(extraInputs ?? []);
        var node = value.Producer is { } producer && ReferenceEquals(producer.Graph, graph)
            ? InsertAfter(producer, opType, inputs, [outputName], attributes, domain)
            : graph.AddNode(opType, inputs, [outputName], attributes, domain: domain, before: graph.Nodes.Count > 0 ? graph.Nodes[0] : null);
        var output = node.Output(0);
        var keepInterfaceName = value.IsGraphOutput && !value.IsGraphInput;

        foreach (var use in value.Uses.Where(u => !ReferenceEquals(u.Node, node)).ToList())
            use.Node.SetInput(use.InputIndex, output);
        foreach (var scope in graph.SelfAndDescendants())
            for (var i = 0; i < scope.Outputs.Count; i++)
                if (ReferenceEquals(scope.Outputs[i], value))
                    scope.Outputs[i] = output;

        if (keepInterfaceName)
        {
            var name = value.Name;
            var temporary = graph.UniqueValueName($"{name}_before_{opType.ToLowerInvariant()}");
            value.Name = temporary;
            output.Name = name;
            value.Name = outputName;
        }
        return node;
    }
}
