using OnnxFuse.Engine;
using OnnxFuse.Ir.Editing;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Validation;
using OnnxFuse.Onnx;
using OnnxFuse.Ort;
using OnnxFuse.Passes.Rewriting;
using OnnxFuse.Runtime;

namespace OnnxFuse.Passes.Tests;

/// <summary>
/// Runs passes on a copy of a model and compares the copy with the original on seeded inputs, on the managed
/// engine and on ONNX Runtime (its own optimizations disabled, so it executes exactly the graph it is given).
/// </summary>
static class PassTester
{
    /// <summary>A rewritten copy of <paramref name="original"/> and the report; the copy has passed the graph verifier.</summary>
    public static (Model Optimized, FusionReport Report) Run(Model original, params Pass[] passes) =>
        Run(original, new OptimizerOptions(), passes);

    public static (Model Optimized, FusionReport Report) Run(Model original, OptimizerOptions options, params Pass[] passes)
    {
        var optimized = original.Clone();
        var report = new PassManager(passes, options).Run(optimized);
        GraphVerifier.Check(optimized);
        return (optimized, report);
    }

    /// <summary>Op types of the main graph's nodes, in order (domain-qualified outside ai.onnx).</summary>
    public static IReadOnlyList<string> OpTypes(Model model) =>
        [.. model.Graph.Nodes.Select(n => n.IsDefaultDomain ? n.OpType : $"{n.Domain}.{n.OpType}")];

    /// <summary>
    /// Asserts that both models give the same outputs on both targets: |optimized − original| ≤ atol + rtol·|original|
    /// element-wise, for float outputs; other element types bit-exact.
    /// </summary>
    public static void AssertSameOutputs(Model original, Model optimized, int seed = 1, float rtol = 1e-4f, float atol = 1e-5f,
        IReadOnlyDictionary<string, TensorData>? inputs = null, IReadOnlyList<ExecutionTarget>? targets = null)
    {
        inputs ??= RandomTensors.ForModel(original, seed);
        foreach (var target in targets ?? [ExecutionTarget.Managed, ExecutionTarget.OnnxRuntime])
        {
            var expected = RunOn(original, inputs, target);
            var actual = RunOn(optimized, inputs, target);
            Assert.Equal(expected.Count, actual.Count);
            for (var i = 0; i < expected.Count; i++)
                AssertClose(expected[i], actual[i], rtol, atol, $"{target} output {i}");
        }
    }

    public static IReadOnlyList<TensorData> RunOn(Model model, IReadOnlyDictionary<string, TensorData> inputs, ExecutionTarget target)
    {
        if (target == ExecutionTarget.Managed)
        {
            using var session = InferenceSession.Create(model);
            return session.Run(inputs);
        }
        using var ort = OrtSession.Create(ModelFile.Serialize(model),
            new OrtSessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.Disabled, IntraOpThreads = 1 });
        return ort.Run(inputs);
    }

    public static void AssertClose(TensorData expected, TensorData actual, float rtol, float atol, string what)
    {
        Assert.Equal(expected.ElementType, actual.ElementType);
        Assert.Equal(expected.Dims, actual.Dims);
        if (expected.ElementType != ElementType.Float)
        {
            Assert.True(expected.Bytes.Span.SequenceEqual(actual.Bytes.Span), $"{what}: differs");
            return;
        }
        var e = expected.AsSpan<float>();
        var a = actual.AsSpan<float>();
        for (var i = 0; i < e.Length; i++)
            Assert.True(Math.Abs(a[i] - e[i]) <= atol + (rtol * Math.Abs(e[i])), $"{what}, element {i}: {a[i]} vs {e[i]}");
    }
}
