using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Onnx;
using OnnxFuse.Testing;

namespace OnnxFuse.Passes.Tests;

/// <summary>A shared model's reference data: test_data_set_0's inputs and outputs, computed by PyTorch (the oracle).</summary>
static class SharedModelReference
{
    static string DataSet(string name) => Path.Combine(Path.GetDirectoryName(TestPaths.SharedModel(name))!, "test_data_set_0");

    /// <summary>input_k.pb for the k-th input of <paramref name="model"/> that has no default, by that input's name.</summary>
    public static Dictionary<string, TensorData> Inputs(string name, Model model) =>
        model.Graph.Inputs.Where(i => !i.IsInitializer)
            .Select((input, i) => (input.Name, Data: TensorFile.Load(Path.Combine(DataSet(name), $"input_{i}.pb"))))
            .ToDictionary(p => p.Name, p => p.Data);

    /// <summary>output_k.pb for k = 0 … <paramref name="count"/> − 1.</summary>
    public static IReadOnlyList<TensorData> Outputs(string name, int count = 1) =>
        [.. Enumerable.Range(0, count).Select(i => TensorFile.Load(Path.Combine(DataSet(name), $"output_{i}.pb")))];
}
