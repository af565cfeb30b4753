using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;

namespace OnnxFuse.Ir.Graphs;

/// <summary>
/// A graph: inputs, initializers, nodes in order, outputs. Every value is declared in exactly one graph's scope;
/// a subgraph (an attribute of a node) reads its enclosing graphs' values by reference.
/// Node order is the file's order until <see cref="ReorderNodes"/> changes it; it need not be topological
/// while editing, and the verifier checks it before saving.
/// </summary>
public sealed class Graph
{
    readonly Dictionary<string, Value> _declared = new(StringComparer.Ordinal);
    readonly List<Node> _nodes = [];
    readonly List<Value> _initializers = [];

    public Graph(string name = "") => Name = name;

    public string Name { get; set; }

    public string? DocString { get; set; }

    public IDictionary<string, string> MetadataProps { get; } = new OrderedDictionary<string, string>();

    /// <summary>Quantization annotations (tensor name → parameter-name map), kept as ONNX stores them.</summary>
    public IList<KeyValuePair<string, IReadOnlyDictionary<string, string>>> QuantizationAnnotations { get; } = [];

    /// <summary>The node whose attribute holds this graph; null for a main graph or a function body.</summary>
    public Node? Owner { get; internal set; }

    /// <summary>The graph whose scope encloses this one.</summary>
    public Graph? Parent => Owner?.Graph;

    /// <summary>Graph inputs in order. May include initializers (then the initializer is an overridable default).</summary>
    public List<Value> Inputs { get; } = [];

    /// <summary>Graph outputs in order; any value in scope.</summary>
    public List<Value> Outputs { get; } = [];

    public IReadOnlyList<Node> Nodes => _nodes;

    /// <summary>Initializers (dense and sparse) in file order.</summary>
    public IReadOnlyList<Value> Initializers => _initializers;

    /// <summary>Every value declared in this graph's own scope.</summary>
    public IEnumerable<Value> DeclaredValues => _declared.Values;

    public Value AddInput(string name, OnnxType? type = null)
    {
        var value = FindDeclared(name) ?? Declare(name, type);
        value.Type ??= type;
        Inputs.Add(value);
        return value;
    }

    /// <summary>Declares an initializer; when an input of that name exists, the initializer becomes its default.</summary>
    public Value AddInitializer(string name, TensorData data)
    {
        var value = DeclareInitializer(name);
        value.Initializer = data;
        value.Type ??= new TensorType(data.ElementType, Shape.Of([.. data.Dims]));
        return value;
    }

    public Value AddSparseInitializer(string name, SparseTensorData data)
    {
        var value = DeclareInitializer(name);
        value.SparseInitializer = data;
        return value;
    }

    /// <summary>The value an initializer of that name defines: new, or the graph input it becomes the default of.</summary>
    Value DeclareInitializer(string name)
    {
        var value = FindDeclared(name) ?? Declare(name, null);
        if (value.IsInitializer || value.Producer is not null)
            throw new InvalidOperationException($"value '{name}' is already defined in graph '{Name}'");
        _initializers.Add(value);
        return value;
    }

    /// <summary>Replaces an initializer's contents (e.g. folded weights); the value keeps its name and readers.</summary>
    public static void SetInitializer(Value initializer, TensorData data)
    {
        if (initializer.Initializer is null)
            throw new InvalidOperationException($"value '{initializer.Name}' is not an initializer");
        initializer.Initializer = data;
        initializer.Type = new TensorType(data.ElementType, Shape.Of([.. data.Dims]));
    }

    /// <summary>Removes an initializer that nothing reads any more.</summary>
    public void RemoveInitializer(Value initializer)
    {
        if (!_initializers.Remove(initializer))
            throw new InvalidOperationException($"value '{initializer.Name}' is not an initializer of graph '{Name}'");
        initializer.Initializer = null;
        initializer.SparseInitializer = null;
        if (initializer.Uses.Count == 0 && !initializer.IsGraphInput && !initializer.IsGraphOutput)
            _declared.Remove(initializer.Name);
    }

    /// <summary>
    /// Appends a node (or inserts it before <paramref name="before"/>). Output names that are null or empty become
    /// omitted optional outputs; the others are declared here and must be new.
    /// </summary>
    public Node AddNode(string opType, IEnumerable<Value?> inputs, IEnumerable<string?> outputNames,
        IEnumerable<Attr>? attributes = null, string? name = null, string domain = "", Node? before = null)
    {
        var node = new Node(this, name ?? UniqueNodeName(opType), opType, domain);
        foreach (var input in inputs)
            node.AddInput(input);
        foreach (var outputName in outputNames)
            node.AppendOutput(string.IsNullOrEmpty(outputName) ? null : Declare(outputName, null));
        foreach (var attr in attributes ?? [])
            node.SetAttr(attr);
        if (before is null)
            _nodes.Add(node);
        else
            _nodes.Insert(IndexOf(before), node);
        return node;
    }

    /// <summary>Removes a node. Its outputs must no longer be read or be graph outputs; they are undeclared.</summary>
    public void RemoveNode(Node node)
    {
        if (!ReferenceEquals(node.Graph, this) || !_nodes.Remove(node))
            throw new InvalidOperationException($"node {node.Describe()} is not in graph '{Name}'");
        foreach (var output in node.Outputs)
        {
            if (output is null)
                continue;
            if (output.Uses.Count > 0 || SelfAndDescendants().Any(g => g.Outputs.Contains(output)))
                throw new InvalidOperationException(
                    $"cannot remove node {node.Describe()}: its output '{output.Name}' is still read by {DescribeReaders(output)}");
            _declared.Remove(output.Name);
            output.Producer = null;
        }
        node.DetachInputs();
        // Nodes inside the removed node's subgraphs read outer values by reference; left attached, those
        // values would keep phantom readers and could never be removed themselves.
        foreach (var subgraph in node.Subgraphs)
            if (ReferenceEquals(subgraph.Owner, node))
                subgraph.DetachCaptures();
    }

    /// <summary>Disconnects every reading of a value declared outside this graph and its subgraphs.</summary>
    internal void DetachCaptures()
    {
        var inside = SelfAndDescendants().ToHashSet();
        foreach (var inner in inside.SelectMany(g => g._nodes))
            for (var i = 0; i < inner.Inputs.Count; i++)
                if (inner.Inputs[i] is { } input && !inside.Contains(input.Graph))
                    inner.SetInput(i, null);
    }

    public int IndexOf(Node node)
    {
        var index = _nodes.IndexOf(node);
        return index >= 0 ? index : throw new InvalidOperationException($"node {node.Describe()} is not in graph '{Name}'");
    }

    /// <summary>Replaces the node order; <paramref name="order"/> must be a permutation of <see cref="Nodes"/>.</summary>
    public void ReorderNodes(IReadOnlyList<Node> order)
    {
        if (order.Count != _nodes.Count || order.Distinct().Count() != order.Count || order.Any(n => !ReferenceEquals(n.Graph, this)))
            throw new ArgumentException("the new order must list every node of the graph exactly once", nameof(order));
        _nodes.Clear();
        _nodes.AddRange(order);
    }

    /// <summary>The value of that name declared here or in an enclosing scope (innermost first).</summary>
    public Value? FindValue(string name)
    {
        for (var graph = this; graph is not null; graph = graph.Parent)
            if (graph._declared.TryGetValue(name, out var value))
                return value;
        return null;
    }

    /// <summary>The value of that name declared in this graph's own scope.</summary>
    public Value? FindDeclared(string name) => _declared.GetValueOrDefault(name);

    /// <summary>Declares a new value in this scope (e.g. before a node produces it).</summary>
    public Value Declare(string name, OnnxType? type)
    {
        if (string.IsNullOrEmpty(name))
            throw new ArgumentException("a value needs a non-empty name", nameof(name));
        if (_declared.ContainsKey(name))
            throw new InvalidOperationException($"value '{name}' is already declared in graph '{Name}'");
        var value = new Value(this, name, type);
        _declared.Add(name, value);
        return value;
    }

    /// <summary>A value name not used in this graph, its enclosing scopes or its subgraphs, based on <paramref name="hint"/>.</summary>
    public string UniqueValueName(string hint)
    {
        var root = this;
        while (root.Parent is not null)
            root = root.Parent;
        var taken = root.SelfAndDescendants().SelectMany(g => g._declared.Keys).ToHashSet(StringComparer.Ordinal);
        if (!taken.Contains(hint))
            return hint;
        for (var i = 1; ; i++)
        {
            var candidate = $"{hint}_{i}";
            if (!taken.Contains(candidate))
                return candidate;
        }
    }

    /// <summary>A node name not used by any node in this graph.</summary>
    public string UniqueNodeName(string hint)
    {
        var taken = _nodes.Select(n => n.Name).ToHashSet(StringComparer.Ordinal);
        if (!taken.Contains(hint))
            return hint;
        for (var i = 1; ; i++)
        {
            var candidate = $"{hint}_{i}";
            if (!taken.Contains(candidate))
                return candidate;
        }
    }

    /// <summary>This graph, then every subgraph nested in its nodes, depth first.</summary>
    public IEnumerable<Graph> SelfAndDescendants()
    {
        yield return this;
        foreach (var node in _nodes)
            foreach (var subgraph in node.Subgraphs)
                foreach (var graph in subgraph.SelfAndDescendants())
                    yield return graph;
    }

    /// <summary>Every node of this graph and of its subgraphs.</summary>
    public IEnumerable<Node> AllNodes() => SelfAndDescendants().SelectMany(g => g._nodes);

    internal void RenameDeclared(Value value, string newName)
    {
        if (string.IsNullOrEmpty(newName))
            throw new ArgumentException("a value needs a non-empty name", nameof(newName));
        if (_declared.ContainsKey(newName))
            throw new InvalidOperationException($"cannot rename '{value.Name}' to '{newName}': graph '{Name}' already declares that name");
        // ONNX scoping: a name must not hide, or be hidden by, a name that its readers could also see.
        for (var outer = Parent; outer is not null; outer = outer.Parent)
            if (outer._declared.ContainsKey(newName))
                throw new InvalidOperationException(
                    $"cannot rename '{value.Name}' to '{newName}': enclosing graph '{outer.Name}' declares that name");
        foreach (var inner in SelfAndDescendants().Skip(1))
            if (inner._declared.ContainsKey(newName))
                throw new InvalidOperationException(
                    $"cannot rename '{value.Name}' to '{newName}': nested graph '{inner.Name}' declares that name");
        _declared.Remove(value.Name);
        _declared.Add(newName, value);
    }

    /// <summary>Re-keys the scope after bulk renames that bypassed <see cref="RenameDeclared"/> (names already checked).</summary>
    internal void RekeyDeclared()
    {
        var values = _declared.Values.ToList();
        _declared.Clear();
        foreach (var value in values)
            _declared.Add(value.Name, value);
    }

    static string DescribeReaders(Value value)
    {
        var readers = value.Consumers.Select(n => n.Describe()).ToList();
        if (value.IsGraphOutput)
            readers.Add("the graph outputs");
        return string.Join(", ", readers);
    }

    public override string ToString() => $"graph '{Name}' ({_nodes.Count} nodes)";
}
