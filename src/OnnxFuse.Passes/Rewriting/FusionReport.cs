using System.Text;
using System.Text.Json;

namespace OnnxFuse.Passes.Rewriting;

/// <summary>What a pass-manager run did: every rewrite, in order, and the node counts around it.</summary>
public sealed record FusionReport(IReadOnlyList<FusionRecord> Applied, int NodesBefore, int NodesAfter)
{
    /// <summary>How many rewrites each pattern made, in the order the patterns first applied.</summary>
    public IReadOnlyList<KeyValuePair<string, int>> CountsByPattern =>
        [.. Applied.GroupBy(r => r.Pattern).Select(g => KeyValuePair.Create(g.Key, g.Count()))];

    /// <summary>The report as JSON: counts, then one entry per rewrite (pattern, graph, replaced and created nodes).</summary>
    public string ToJson(bool indented = true)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented }))
        {
            json.WriteStartObject();
            json.WriteNumber("nodes_before", NodesBefore);
            json.WriteNumber("nodes_after", NodesAfter);
            json.WriteStartObject("counts");
            foreach (var (pattern, count) in CountsByPattern)
                json.WriteNumber(pattern, count);
            json.WriteEndObject();
            json.WriteStartArray("fusions");
            foreach (var record in Applied)
            {
                json.WriteStartObject();
                json.WriteString("pattern", record.Pattern);
                json.WriteString("graph", record.GraphPath);
                ReportJson.WriteNodes(json, "replaced", record.Replaced);
                ReportJson.WriteNodes(json, "created", record.Created);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The short form stored in the optimized model's metadata: counts per pattern only.</summary>
    public string ToSummaryJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("nodes_before", NodesBefore);
            json.WriteNumber("nodes_after", NodesAfter);
            foreach (var (pattern, count) in CountsByPattern)
                json.WriteNumber(pattern, count);
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
