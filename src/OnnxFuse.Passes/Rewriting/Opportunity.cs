using System.Text;
using System.Text.Json;

namespace OnnxFuse.Passes.Rewriting;

/// <summary>
/// A place where a pass matches, found by matching alone: the pattern, where it is, the nodes it covers and how
/// many nodes the rewrite would save.
/// </summary>
public sealed record Opportunity(string Pattern, string GraphPath, IReadOnlyList<NodeRef> Nodes, int NodesSaved)
{
    /// <summary>Opportunities as a JSON array of {pattern, graph, nodes_saved, nodes} (what <c>analyze --json</c> prints).</summary>
    public static string ToJson(IEnumerable<Opportunity> opportunities)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartArray();
            foreach (var opportunity in opportunities)
            {
                json.WriteStartObject();
                json.WriteString("pattern", opportunity.Pattern);
                json.WriteString("graph", opportunity.GraphPath);
                json.WriteNumber("nodes_saved", opportunity.NodesSaved);
                ReportJson.WriteNodes(json, "nodes", opportunity.Nodes);
                json.WriteEndObject();
            }
            json.WriteEndArray();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}

/// <summary>A node named in a report: its name and op type (domain-qualified outside ai.onnx).</summary>
public sealed record NodeRef(string Name, string OpType)
{
    public override string ToString() => $"{Name} ({OpType})";
}
