using System.Text.Json;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Onnx;
using OnnxFuse.Testing;

namespace OnnxFuse.Ort.Tests;

/// <summary>
/// Every shared model run on ONNX Runtime against its reference outputs.
/// Oracle: PyTorch's outputs stored beside each model (test_data_set_0), compared with |actual − expected| ≤ atol + rtol·|expected|.
/// </summary>
public sealed class OrtSessionConformanceTests
{
    const double Rtol = 1e-4;
    const double Atol = 1e-5;

    public static TheoryData<string, GraphOptimizationLevel, int> Cases()
    {
        var cases = new TheoryData<string, GraphOptimizationLevel, int>();
        foreach (var model in TestPaths.SharedModelNames)
            foreach (var level in new[] { GraphOptimizationLevel.Disabled, GraphOptimizationLevel.All })
                foreach (var threads in new[] { 1, 2 })
                    cases.Add(model, level, threads);
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Shared_model_matches_reference_outputs(string model, GraphOptimizationLevel level, int threads)
    {
        var folder = Path.GetDirectoryName(TestPaths.SharedModel(model))!;
        using var io = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "io.json")));
        var inputs = io.RootElement.GetProperty("inputs").EnumerateArray().ToDictionary(
            v => v.GetProperty("name").GetString()!, v => TensorFile.Load(Path.Combine(folder, v.GetProperty("pb").GetString()!)));
        var expected = io.RootElement.GetProperty("outputs").EnumerateArray().Select(
            v => (Name: v.GetProperty("name").GetString()!, Tensor: TensorFile.Load(Path.Combine(folder, v.GetProperty("pb").GetString()!)))).ToArray();
        using var session = OrtSession.Create(TestPaths.SharedModel(model),
            new OrtSessionOptions { GraphOptimizationLevel = level, IntraOpThreads = threads, InterOpThreads = 1 });

        var actual = session.Run(inputs, [.. expected.Select(e => e.Name)]);

        Assert.Equal(expected.Length, actual.Count);
        for (var i = 0; i < expected.Length; i++)
            AssertClose(expected[i].Tensor, actual[i], $"{model} output '{expected[i].Name}'");
    }

    static void AssertClose(TensorData expected, TensorData actual, string what)
    {
        Assert.Equal(expected.ElementType, actual.ElementType);
        Assert.Equal(expected.Dims, actual.Dims);
        var e = ToDoubles(expected);
        var a = ToDoubles(actual);
        var failures = 0;
        var worst = (Index: -1, Excess: 0.0);
        for (var i = 0; i < e.Length; i++)
        {
            var excess = Math.Abs(a[i] - e[i]) - (Atol + Rtol * Math.Abs(e[i]));
            if (excess > 0 || double.IsNaN(a[i]) != double.IsNaN(e[i]))
            {
                failures++;
                if (excess > worst.Excess || worst.Index < 0)
                    worst = (i, excess);
            }
        }
        Assert.True(failures == 0,
            $"{what}: {failures} of {e.Length} elements differ beyond rtol {Rtol}, atol {Atol}; worst at {worst.Index}: " +
            $"expected {(worst.Index >= 0 ? e[worst.Index] : 0)}, got {(worst.Index >= 0 ? a[worst.Index] : 0)}");
    }

    static double[] ToDoubles(TensorData tensor) => tensor.ElementType switch
    {
        ElementType.Float => [.. tensor.ToArray<float>().Select(v => (double)v)],
        ElementType.Double => tensor.ToArray<double>(),
        ElementType.Int64 => [.. tensor.ToArray<long>().Select(v => (double)v)],
        ElementType.Int32 => [.. tensor.ToArray<int>().Select(v => (double)v)],
        _ => throw new NotSupportedException($"no comparison for {tensor.ElementType.DisplayName()} outputs"),
    };
}
