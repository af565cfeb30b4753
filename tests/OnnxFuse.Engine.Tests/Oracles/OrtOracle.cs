using OnnxFuse.Ir.Building;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Onnx;
using OnnxFuse.Ort;

namespace OnnxFuse.Engine.Tests.Oracles;

/// <summary>
/// ONNX Runtime 1.30 (native, CPU, one intra-op thread, no graph optimizations) as the oracle for operators whose
/// semantics ORT defines, com.microsoft contrib ops above all: a one-node model runs on both targets and the outputs
/// must agree within |engine − ort| ≤ atol + rtol·|ort|.
/// </summary>
static class OrtOracle
{
    /// <summary>The default tolerance of these comparisons: float32 kernels that sum in a different order.</summary>
    public const double Rtol = 1e-4;
    public const double Atol = 1e-5;

    /// <summary>
    /// A model of one node: each non-null input becomes a graph input, or an initializer when its index is in
    /// <paramref name="constantInputs"/>; null inputs are omitted (empty names). Outputs listed in
    /// <paramref name="graphOutputs"/> (all by default) become graph outputs; the others stay named but unread.
    /// </summary>
    public static Model SingleNode(string opType, TensorData?[] inputs, Attr[]? attributes = null, string domain = "com.microsoft",
        int outputCount = 1, int[]? graphOutputs = null, int[]? constantInputs = null, long opset = 17)
    {
        var builder = new GraphBuilder(opset);
        var values = new Value?[inputs.Length];
        for (var i = 0; i < inputs.Length; i++)
        {
            if (inputs[i] is not { } data)
                continue;
            values[i] = constantInputs is not null && constantInputs.Contains(i)
                ? builder.Initializer($"input_{i}", data)
                : builder.Input($"input_{i}", data.ElementType, [.. data.Dims.Select(d => (Ir.Types.Dim)d)]);
        }
        var node = builder.AddNode(opType, values, outputCount, attributes, domain, domainVersion: 1);
        foreach (var index in graphOutputs ?? [.. Enumerable.Range(0, outputCount)])
            builder.Output(node.Output(index), $"output_{index}");
        return builder.Build();
    }

    /// <summary>The graph inputs' values, by name, for <paramref name="model"/> built by <see cref="SingleNode"/>.</summary>
    public static Dictionary<string, TensorData> Feeds(Model model, TensorData?[] inputs) =>
        model.Graph.Inputs.Where(v => !v.IsInitializer)
            .ToDictionary(v => v.Name, v => inputs[int.Parse(v.Name["input_".Length..], System.Globalization.CultureInfo.InvariantCulture)]!);

    public static IReadOnlyList<TensorData> RunOrt(Model model, IReadOnlyDictionary<string, TensorData> feeds)
    {
        using var session = OrtSession.Create(ModelFile.Serialize(model),
            new OrtSessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.Disabled, IntraOpThreads = 1 });
        return session.Run(feeds);
    }

    public static IReadOnlyList<TensorData> RunEngine(Model model, IReadOnlyDictionary<string, TensorData> feeds, int threadCount = 1)
    {
        using var session = InferenceSession.Create(model, new EngineOptions { ThreadCount = threadCount });
        return session.Run(feeds);
    }

    /// <summary>Runs the one-node model on both targets and compares every graph output (see the class summary).</summary>
    public static void AssertMatchesOrt(string opType, TensorData?[] inputs, Attr[]? attributes = null, string domain = "com.microsoft",
        int outputCount = 1, int[]? graphOutputs = null, int[]? constantInputs = null, double rtol = Rtol, double atol = Atol,
        int threadCount = 1)
    {
        var model = SingleNode(opType, inputs, attributes, domain, outputCount, graphOutputs, constantInputs);
        var feeds = Feeds(model, inputs);
        var expected = RunOrt(model, feeds);
        var actual = RunEngine(model, feeds, threadCount);
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
            Numerics.AssertClose(expected[i], actual[i], rtol, atol);
    }

    /// <summary>Seeded uniform floats in [<paramref name="min"/>, <paramref name="max"/>).</summary>
    public static TensorData Floats(int seed, long[] dims, float min = -1f, float max = 1f)
    {
        var count = (int)dims.Aggregate(1L, (a, b) => a * b);
        return TensorData.Create<float>(dims, TestData.Uniform(count, min, max, seed));
    }

    public static TensorData Ints(long[] dims, params int[] values) => TensorData.Create<int>(dims, values);
}
