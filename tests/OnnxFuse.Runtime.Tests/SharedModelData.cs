using OnnxFuse.Ir.Tensors;
using OnnxFuse.Onnx;
using OnnxFuse.Testing;

namespace OnnxFuse.Runtime.Tests;

/// <summary>A shared model's reference inputs and outputs (test_data_set_0, computed by PyTorch).</summary>
static class SharedModelData
{
    public static string Folder(string name) => Path.Combine(TestPaths.SharedModels, name, "test_data_set_0");

    public static IReadOnlyList<TensorData> ReferenceOutputs(string name) =>
        [.. Directory.GetFiles(Folder(name), "output_*.pb").Order(StringComparer.Ordinal).Select(TensorFile.Load)];

    /// <summary>|actual − expected| ≤ atol + rtol·|expected| element-wise, for float32 tensors of equal shape.</summary>
    public static void AssertClose(TensorData expected, TensorData actual, float rtol, float atol)
    {
        Assert.Equal(expected.Dims, actual.Dims);
        var e = expected.AsSpan<float>();
        var a = actual.AsSpan<float>();
        for (var i = 0; i < e.Length; i++)
            Assert.True(Math.Abs(a[i] - e[i]) <= atol + (rtol * Math.Abs(e[i])), $"element {i}: {a[i]} vs {e[i]}");
    }
}
