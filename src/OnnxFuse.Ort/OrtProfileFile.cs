using System.Globalization;
using System.Text;
using System.Text.Json;

namespace OnnxFuse.Ort;

/// <summary>
/// Reads the profile ONNX Runtime writes when <see cref="OrtSessionOptions.ProfileFilePrefix"/> is set: a JSON array of
/// Chrome-trace events. Each node's kernel is one event of category <c>Node</c> named <c>NODE_kernel_time</c>, whose
/// <c>args</c> hold <c>op_name</c> and the shapes; session events and the fences around each kernel are skipped.
/// </summary>
public static class OrtProfileFile
{
    const string KernelSuffix = "_kernel_time";

    /// <summary>The kernel calls in the file, in the order they started.</summary>
    /// <exception cref="OrtException">The file is not an ONNX Runtime profile.</exception>
    public static IReadOnlyList<OrtKernelCall> ReadKernelCalls(string path)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(path));
            var calls = new List<OrtKernelCall>();
            foreach (var item in document.RootElement.EnumerateArray())
            {
                if (item.GetProperty("cat").GetString() != "Node"
                    || item.GetProperty("name").GetString() is not { } name || !name.EndsWith(KernelSuffix, StringComparison.Ordinal))
                    continue;
                var args = item.GetProperty("args");
                calls.Add(new OrtKernelCall(name[..^KernelSuffix.Length], args.GetProperty("op_name").GetString() ?? "",
                    Shapes(args), item.GetProperty("ts").GetInt64(), item.GetProperty("dur").GetInt64()));
            }
            return [.. calls.OrderBy(c => c.StartMicroseconds)];
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
        {
            throw new OrtException($"{path} is not an ONNX Runtime profile: {e.Message}");
        }
    }

    static string Shapes(JsonElement args)
    {
        var text = new StringBuilder();
        if (args.TryGetProperty("input_type_shape", out var inputs))
            foreach (var input in inputs.EnumerateArray())
                AppendTyped(text.Append(text.Length > 0 ? " " : ""), input);
        if (args.TryGetProperty("output_type_shape", out var outputs) && outputs.GetArrayLength() > 0)
            AppendTyped(text.Append(" → "), outputs[0]);
        return text.ToString();
    }

    /// <summary>One <c>{"float": [1, 128, 256]}</c> entry as <c>float[1,128,256]</c>.</summary>
    static void AppendTyped(StringBuilder text, JsonElement typed)
    {
        foreach (var property in typed.EnumerateObject())
        {
            text.Append(property.Name).Append('[');
            text.AppendJoin(',', property.Value.EnumerateArray().Select(d => d.GetInt64().ToString(CultureInfo.InvariantCulture)));
            text.Append(']');
        }
    }
}
