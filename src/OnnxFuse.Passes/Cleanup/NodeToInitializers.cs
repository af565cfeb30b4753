using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Passes.Matching;
using OnnxFuse.Passes.Rewriting;

namespace OnnxFuse.Passes.Cleanup;

/// <summary>
/// Replaces a node whose outputs are known by initializers: each output that is read (or is a graph output)
/// becomes an initializer of the node's graph holding its value, under the output's own name, so graph outputs
/// and readers in subgraphs keep working and names stay recognisable.
/// </summary>
static class NodeToInitializers
{
    /// <summary><paramref name="values"/> has one entry per output of <paramref name="node"/>; unread outputs' entries may be null.</summary>
    public static void Replace(Node node, IReadOnlyList<TensorData?> values)
    {
        var graph = node.Graph;
        var renames = new List<(Value Initializer, string Name)>();
        for (var i = 0; i < node.Outputs.Count; i++)
        {
            if (node.Outputs[i] is not { } output || (output.Uses.Count == 0 && !output.IsAnyGraphOutput()))
                continue;
            var data = values[i] ?? throw new ArgumentException($"output '{output.Name}' of {node.Describe()} is read but has no value", nameof(values));
            var initializer = PassContext.AddConstant(graph, $"{output.Name}_folded", data.WithName(null));
            output.ReplaceAllUsesWith(initializer);
            renames.Add((initializer, output.Name));
        }
        graph.RemoveNode(node);
        foreach (var (initializer, name) in renames)
            initializer.Name = name;
    }
}
