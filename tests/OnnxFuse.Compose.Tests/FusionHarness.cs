using OnnxFuse.Engine;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Onnx;
using OnnxFuse.Ort;
using OnnxFuse.Runtime;
using OnnxFuse.Testing;

namespace OnnxFuse.Compose.Tests;

/// <summary>Shared models, seeded inputs, both targets, and the comparisons the fusion tests state.</summary>
static class FusionHarness
{
    static readonly Dictionary<string, Model> s_models = [];

    /// <summary>A shared model, loaded once per test run; fusion never modifies its inputs.</summary>
    public static FusionInput Shared(string name)
    {
        Model model;
        lock (s_models)
        {
            if (!s_models.TryGetValue(name, out model!))
                s_models[name] = model = ModelFile.Load(TestPaths.SharedModel(name));
        }
        return new FusionInput(model, name) { SourcePath = TestPaths.SharedModel(name) };
    }

    /// <summary>Runs on the managed engine or ONNX Runtime; inputs with defaults may be left out.</summary>
    public static IReadOnlyList<TensorData> Run(Model model, IReadOnlyDictionary<string, TensorData> inputs, ExecutionTarget target,
        GraphOptimizationLevel level = GraphOptimizationLevel.All)
    {
        if (target == ExecutionTarget.Managed)
        {
            using var session = InferenceSession.Create(model);
            return session.Run(inputs);
        }
        using var ort = OrtSession.Create(ModelFile.Serialize(model), new OrtSessionOptions { GraphOptimizationLevel = level, IntraOpThreads = 1 });
        return ort.Run(inputs);
    }

    /// <summary>Oracle: the model run alone on the same target. Managed: bit-exact. ONNX Runtime: |a − b| ≤ 1e-5 · max(1, |b|).</summary>
    public static void AssertSame(TensorData expected, TensorData actual, ExecutionTarget target)
    {
        Assert.Equal(expected.ElementType, actual.ElementType);
        Assert.Equal(expected.Dims, actual.Dims);
        if (target == ExecutionTarget.Managed || expected.ElementType != ElementType.Float)
        {
            Assert.True(expected.Bytes.Span.SequenceEqual(actual.Bytes.Span), "outputs differ bit-wise");
            return;
        }
        var e = expected.AsSpan<float>();
        var a = actual.AsSpan<float>();
        for (var i = 0; i < e.Length; i++)
            Assert.True(Math.Abs(e[i] - a[i]) <= 1e-5f * Math.Max(1f, Math.Abs(e[i])), $"element {i}: {a[i]} vs {e[i]}");
    }

    /// <summary>An empty tensor: what a switched model yields for the models that did not run.</summary>
    public static void AssertEmpty(TensorData tensor) => Assert.Equal(0, tensor.ElementCount);
}
