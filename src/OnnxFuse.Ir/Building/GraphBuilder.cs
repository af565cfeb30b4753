using OnnxFuse.Ir.Editing;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;
using OnnxFuse.Ir.Validation;

namespace OnnxFuse.Ir.Building;

/// <summary>
/// Builds small models in code, for tests across the solution (ONNX Runtime's ModelTestBuilder idea):
/// <code>
/// var b = new GraphBuilder(opset: 17);
/// var x = b.Input("x", ElementType.Float, 1, 3, 8, 8);
/// var w = b.RandomInitializer("w", seed: 7, 4, 3, 3, 3);
/// var y = b.Node("Conv", [x, w], Attr.Ints("pads", [1, 1, 1, 1]));
/// b.Output(y, "y");
/// Model model = b.Build();
/// </code>
/// Node outputs get fresh names (<c>Conv_0</c>, <c>Split_1_1</c>…) and no type. <see cref="Subgraph"/> returns a
/// builder for an If/Loop/Scan body; its nodes capture outer values simply by taking them as inputs.
/// </summary>
public sealed class GraphBuilder
{
    readonly BuildState _state;

    public GraphBuilder(long opset = 17, string name = "main")
        : this(new Graph(name), new BuildState())
    {
        _state.Opsets[""] = opset;
        _state.GraphNames.Add(name);
    }

    GraphBuilder(Graph graph, BuildState state)
    {
        Graph = graph;
        _state = state;
    }

    /// <summary>The graph being built (a subgraph for builders made by <see cref="Subgraph"/>).</summary>
    public Graph Graph { get; }

    /// <summary>The node added last, to adjust what the concise methods do not cover (name, doc string…).</summary>
    public Node? LastNode { get; private set; }

    /// <summary>A tensor input; <paramref name="dims"/> are sizes or <see cref="Dim.Symbol"/>s (none for a scalar).</summary>
    public Value Input(string name, ElementType elementType, params Dim[] dims) =>
        Input(name, new TensorType(elementType, new Shape(dims)));

    public Value Input(string name, OnnxType? type) => Graph.AddInput(Claim(_state.ValueNames, name), type);

    public Value Initializer(string name, TensorData data) => Graph.AddInitializer(Claim(_state.ValueNames, name), data);

    /// <summary>A float initializer of shape <paramref name="dims"/>, uniform in [-1, 1) from a seeded generator.</summary>
    public Value RandomInitializer(string name, int seed, params long[] dims)
    {
        var random = new Random(seed);
        var count = dims.Aggregate(1L, (n, d) => n * d);
        var values = new float[count];
        for (var i = 0; i < values.Length; i++)
            values[i] = (float)(random.NextDouble() * 2 - 1);
        return Initializer(name, TensorData.Create<float>(dims, values));
    }

    /// <summary>A <c>Constant</c> node holding <paramref name="data"/>; returns its output.</summary>
    public Value Constant(TensorData data) => Node("Constant", [], Attr.Tensor("value", data));

    /// <summary>A single-output node of the default domain; returns its output.</summary>
    public Value Node(string opType, IEnumerable<Value?> inputs, params Attr[] attributes) =>
        AddNode(opType, inputs, 1, attributes).Output(0);

    /// <summary>A node with <paramref name="outputCount"/> outputs (Split, TopK, LSTM…); returns them in order.</summary>
    public IReadOnlyList<Value> Node(string opType, IEnumerable<Value?> inputs, int outputCount, params Attr[] attributes)
    {
        var node = AddNode(opType, inputs, outputCount, attributes);
        return [.. node.Outputs.OfType<Value>()];
    }

    /// <summary>
    /// The full form: any domain (imported at <paramref name="domainVersion"/> unless already imported), any
    /// output count, an explicit node name. Returns the node.
    /// </summary>
    public Node AddNode(string opType, IEnumerable<Value?> inputs, int outputCount = 1, IEnumerable<Attr>? attributes = null,
        string domain = "", long domainVersion = 1, string? name = null)
    {
        var normalized = OpsetImports.Normalize(domain);
        _state.Opsets.TryAdd(normalized, domainVersion);
        var nodeName = Claim(_state.NodeNames, name ?? $"{opType}_{_state.NodeCount++}");
        var outputNames = Enumerable.Range(0, outputCount).Select(i => FreshName(outputCount == 1 ? nodeName : $"{nodeName}_{i}"));
        LastNode = Graph.AddNode(opType, inputs, [.. outputNames], attributes, nodeName, domain);
        return LastNode;
    }

    /// <summary>Imports <paramref name="domain"/> at <paramref name="version"/> (replacing an earlier import).</summary>
    public GraphBuilder Import(string domain, long version)
    {
        _state.Opsets[OpsetImports.Normalize(domain)] = version;
        return this;
    }

    /// <summary>Marks <paramref name="value"/> as a graph output, renaming it first when <paramref name="name"/> is given.</summary>
    public Value Output(Value value, string? name = null)
    {
        if (name is not null && name != value.Name)
            value.Name = Claim(_state.ValueNames, name);
        Graph.Outputs.Add(value);
        return value;
    }

    public void Outputs(params Value[] values)
    {
        foreach (var value in values)
            Output(value);
    }

    /// <summary>
    /// A builder for a subgraph (If branch, Loop or Scan body) sharing this builder's names and opset imports.
    /// Attach it with <c>Attr.Graph("then_branch", sub.Graph)</c>.
    /// </summary>
    public GraphBuilder Subgraph(string name) => new(new Graph(Claim(_state.GraphNames, name)), _state);

    /// <summary>
    /// The model: the main graph with every domain its nodes used imported. Checked with
    /// <see cref="GraphVerifier.Check"/> unless <paramref name="verify"/> is false (for invalid test graphs).
    /// </summary>
    public Model Build(bool verify = true)
    {
        if (Graph.Owner is not null)
            throw new InvalidOperationException($"graph '{Graph.Name}' is a subgraph; build the main graph's builder");
        var model = new Model(Graph) { ProducerName = "OnnxFuse.GraphBuilder", IrVersion = 9 };
        foreach (var (domain, version) in _state.Opsets)
            model.OpsetImports[domain] = version;
        if (verify)
            GraphVerifier.Check(model);
        return model;
    }

    /// <summary>A deep copy of the model built so far, leaving this builder free to add more.</summary>
    public Model BuildCopy(bool verify = true) => Build(verify).Clone();

    static string Claim(HashSet<string> taken, string name)
    {
        if (!taken.Add(name))
            throw new InvalidOperationException($"name '{name}' is already used in this model");
        return name;
    }

    string FreshName(string hint)
    {
        var name = hint;
        for (var i = 1; !_state.ValueNames.Add(name); i++)
            name = $"{hint}_{i}";
        return name;
    }

    /// <summary>What a builder and its subgraph builders share: names taken (values, nodes, graphs) and opsets.</summary>
    sealed class BuildState
    {
        public HashSet<string> ValueNames { get; } = new(StringComparer.Ordinal);

        public HashSet<string> NodeNames { get; } = new(StringComparer.Ordinal);

        public HashSet<string> GraphNames { get; } = new(StringComparer.Ordinal);

        public OrderedDictionary<string, long> Opsets { get; } = new(StringComparer.Ordinal);

        public int NodeCount { get; set; }
    }
}
