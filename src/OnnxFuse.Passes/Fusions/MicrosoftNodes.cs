using OnnxFuse.Ir.Editing;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Passes.Rewriting;

namespace OnnxFuse.Passes.Fusions;

/// <summary>Puts a single-output com.microsoft node in place of a matched pattern's last node.</summary>
static class MicrosoftNodes
{
    /// <summary>
    /// Adds <paramref name="opType"/> (com.microsoft) before <paramref name="last"/> and hands it the readers of
    /// <paramref name="last"/>'s only output, and its name when that output is a graph output.
    /// </summary>
    public static Node Replace(PassContext context, Node last, string opType, IEnumerable<Value?> inputs, IEnumerable<Attr>? attributes = null)
    {
        var graph = last.Graph;
        var fused = context.AddMicrosoftNode(graph, opType, inputs, [graph.UniqueValueName($"{last.Name}_{opType}")], attributes, before: last);
        GraphRewriter.Bypass(last, fused.Output(0));
        return fused;
    }
}
