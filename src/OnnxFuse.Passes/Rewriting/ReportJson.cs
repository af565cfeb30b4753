using System.Text.Json;

namespace OnnxFuse.Passes.Rewriting;

/// <summary>How fusion reports and opportunity lists write the nodes they name: {"name", "op_type"} objects.</summary>
static class ReportJson
{
    public static void WriteNodes(Utf8JsonWriter json, string propertyName, IReadOnlyList<NodeRef> nodes)
    {
        json.WriteStartArray(propertyName);
        foreach (var node in nodes)
        {
            json.WriteStartObject();
            json.WriteString("name", node.Name);
            json.WriteString("op_type", node.OpType);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }
}
