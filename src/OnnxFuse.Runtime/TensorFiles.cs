using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Onnx;
using OnnxFuse.Onnx.Npy;

namespace OnnxFuse.Runtime;

/// <summary>Tensors on disk, chosen by extension: <c>.npy</c> (numpy) or <c>.pb</c> (ONNX TensorProto).</summary>
public static class TensorFiles
{
    public static TensorData Load(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".npy" => NpyFile.Load(path),
        ".pb" => TensorFile.Load(path),
        _ => Throw.ModelLoad<TensorData>($"{path}: unknown tensor file type (expected .npy or .pb)"),
    };

    /// <summary>
    /// The inputs of ONNX's backend-test layout: <c>input_0.pb</c>, <c>input_1.pb</c>… in graph-input order.
    /// Returns as many as the folder holds, up to the number of inputs.
    /// </summary>
    public static Dictionary<string, TensorData> LoadInputFolder(string folder, IReadOnlyList<ValueDescription> inputs)
    {
        if (!Directory.Exists(folder))
            Throw.ModelLoad($"{folder}: input folder not found");
        var loaded = new Dictionary<string, TensorData>(StringComparer.Ordinal);
        for (var i = 0; i < inputs.Count; i++)
        {
            var path = Path.Combine(folder, $"input_{i}.pb");
            if (File.Exists(path))
                loaded[inputs[i].Name] = TensorFile.Load(path);
        }
        return loaded;
    }

    /// <summary>Writes <c>output_0.pb</c>, <c>output_1.pb</c>… (each atomically) in graph-output order.</summary>
    public static void SaveOutputFolder(string folder, IReadOnlyList<ValueDescription> outputs, IReadOnlyList<TensorData> values)
    {
        Directory.CreateDirectory(folder);
        for (var i = 0; i < values.Count; i++)
            TensorFile.Save(values[i].WithName(outputs[i].Name), Path.Combine(folder, $"output_{i}.pb"));
    }
}
