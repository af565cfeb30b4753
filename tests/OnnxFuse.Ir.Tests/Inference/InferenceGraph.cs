using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Inference;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;

namespace OnnxFuse.Ir.Tests.Inference;

/// <summary>A tiny graph builder for inference tests: typed inputs, int64 constants, nodes, then run inference.</summary>
sealed class InferenceGraph
{
    public InferenceGraph(long opset = 13)
    {
        Graph = new Graph("test");
        Model = new Model(Graph);
        Model.OpsetImports[""] = opset;
        Model.OpsetImports["com.microsoft"] = 1;
    }

    public Model Model { get; }

    public Graph Graph { get; }

    /// <summary>An input whose dims are numbers, symbol names, or null for unknown.</summary>
    public Value Input(string name, params object?[] dims) => Input(name, ElementType.Float, dims);

    public Value Input(string name, ElementType elementType, params object?[] dims) =>
        Graph.AddInput(name, new TensorType(elementType, ShapeOf(dims)));

    public Value Ints(string name, params long[] values) =>
        Graph.AddInitializer(name, TensorData.Create<long>([values.Length], values));

    public Value Scalar(string name, long value) => Graph.AddInitializer(name, TensorData.Scalar(value));

    public Value Floats(string name, params float[] values) =>
        Graph.AddInitializer(name, TensorData.Create<float>([values.Length], values));

    public Value Weight(string name, params long[] dims) =>
        Graph.AddInitializer(name, TensorData.Create<float>(dims, new float[dims.Aggregate(1L, (n, d) => n * d)]));

    public Value Node(string opType, IEnumerable<Value?> inputs, params Attr[] attrs) =>
        Graph.AddNode(opType, inputs, [Graph.UniqueValueName(opType.ToLowerInvariant())], attrs).Output(0);

    public Node NodeWithOutputs(string opType, IEnumerable<Value?> inputs, int outputCount, params Attr[] attrs) =>
        Graph.AddNode(opType, inputs, Enumerable.Range(0, outputCount).Select(i => (string?)Graph.UniqueValueName($"{opType.ToLowerInvariant()}_{i}")), attrs);

    public Value MicrosoftNode(string opType, IEnumerable<Value?> inputs, params Attr[] attrs) =>
        Graph.AddNode(opType, inputs, [Graph.UniqueValueName(opType.ToLowerInvariant())], attrs, domain: "com.microsoft").Output(0);

    public ShapeInferenceReport Infer(ShapeInferenceOptions? options = null) => ShapeInference.Run(Model, options);

    public static Shape ShapeOf(params object?[] dims) => new(dims.Select(d => d switch
    {
        null => Dim.Unknown,
        string symbol => Dim.Symbol(symbol),
        int size => Dim.Of(size),
        long size => Dim.Of(size),
        _ => throw new ArgumentException($"bad dim {d}"),
    }));
}
