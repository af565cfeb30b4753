using OnnxFuse.Ir.Graphs;

namespace OnnxFuse.Cli.Inspection;

/// <summary>Node count per op type over the main graph and its subgraphs; op types outside ai.onnx carry their domain.</summary>
static class OpHistogram
{
    public static Dictionary<string, int> Of(Model model) =>
        model.Graph.AllNodes().GroupBy(n => n.IsDefaultDomain ? n.OpType : $"{n.Domain}.{n.OpType}", StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
}
