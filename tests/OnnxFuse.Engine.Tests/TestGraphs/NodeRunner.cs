using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;

namespace OnnxFuse.Engine.Tests.TestGraphs;

/// <summary>Builds a one-node model over graph inputs (or constant initializers) and runs it on the engine.</summary>
static class NodeRunner
{
    public static TensorData[] Run(string opType, TensorData?[] inputs, Attr[]? attributes = null, int outputCount = 1, long opset = 17,
        string domain = "", bool constantInputs = false)
    {
        var model = Build(opType, inputs, attributes, outputCount, opset, domain, constantInputs, out var feeds);
        using var session = InferenceSession.Create(model, new EngineOptions { ThreadCount = 1 });
        return [.. session.Run(feeds)];
    }

    public static TensorData Single(string opType, TensorData?[] inputs, Attr[]? attributes = null, long opset = 17, string domain = "",
        bool constantInputs = false) => Run(opType, inputs, attributes, 1, opset, domain, constantInputs)[0];

    public static Model Build(string opType, TensorData?[] inputs, Attr[]? attributes, int outputCount, long opset, string domain,
        bool constantInputs, out Dictionary<string, TensorData> feeds)
    {
        var graph = new Graph("test");
        feeds = [];
        var values = new List<Value?>();
        for (var i = 0; i < inputs.Length; i++)
        {
            if (inputs[i] is not { } data)
            {
                values.Add(null);
                continue;
            }
            var name = $"input_{i}";
            if (constantInputs && i > 0)
                values.Add(graph.AddInitializer(name, data));
            else
            {
                values.Add(graph.AddInput(name, new TensorType(data.ElementType, Shape.Of([.. data.Dims]))));
                feeds[name] = data;
            }
        }
        var node = graph.AddNode(opType, values, Enumerable.Range(0, outputCount).Select(i => $"output_{i}"), attributes, domain: domain);
        foreach (var output in node.Outputs)
            graph.Outputs.Add(output!);
        var model = new Model(graph);
        model.OpsetImports[""] = domain == "" ? opset : 17;
        if (domain != "")
            model.OpsetImports[domain] = 1;
        return model;
    }

    public static TensorData Floats(long[] dims, params float[] values) => TensorData.Create<float>(dims, values);

    public static TensorData Longs(long[] dims, params long[] values) => TensorData.Create<long>(dims, values);

    /// <summary>Seeded uniform floats in [−1, 1).</summary>
    public static TensorData Random(long[] dims, int seed)
    {
        var random = new Random(seed);
        var count = dims.Aggregate(1L, (a, b) => a * b);
        var values = new float[count];
        for (var i = 0; i < values.Length; i++)
            values[i] = (float)(random.NextDouble() * 2 - 1);
        return TensorData.Create<float>(dims, values);
    }
}
