using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;

namespace OnnxFuse.Ir.Graphs;

/// <summary>
/// A named value (an SSA edge): a graph input, an initializer, or a node output.
/// Knows its producer and every node that reads it, including nodes inside subgraphs that capture it
/// from an outer scope. Nodes and graphs hold references to the same object, so renaming a value renames it
/// everywhere it is used.
/// </summary>
public sealed class Value
{
    readonly List<Use> _uses = [];
    string _name;

    internal Value(Graph graph, string name, OnnxType? type)
    {
        Graph = graph;
        _name = name;
        Type = type;
    }

    /// <summary>The graph whose scope declares this value.</summary>
    public Graph Graph { get; internal set; }

    public string Name
    {
        get => _name;
        set
        {
            if (value == _name)
                return;
            Graph.RenameDeclared(this, value);
            _name = value;
        }
    }

    /// <summary>Sets the name without touching the scope; the caller re-keys it (<see cref="Graph.RekeyDeclared"/>).</summary>
    internal void SetNameUnchecked(string name) => _name = name;

    /// <summary>Element type and shape when known (from the file or from shape inference).</summary>
    public OnnxType? Type { get; set; }

    /// <summary>Shortcut for the shape of a tensor-typed value, when known.</summary>
    public Shape? Shape => (Type as TensorType)?.Shape;

    /// <summary>Shortcut for the element type of a tensor-typed value.</summary>
    public ElementType? ElementType => (Type as TensorType)?.ElementType;

    /// <summary>The weight behind an initializer; null for other values. Set through <see cref="Graph.AddInitializer"/>.</summary>
    public TensorData? Initializer { get; internal set; }

    /// <summary>A sparse initializer's contents (ONNX <c>sparse_initializer</c>).</summary>
    public SparseTensorData? SparseInitializer { get; internal set; }

    public string? DocString { get; set; }

    /// <summary>Metadata properties of this value's ValueInfo, kept for lossless round trips.</summary>
    public IDictionary<string, string> MetadataProps { get; } = new OrderedDictionary<string, string>();

    public Node? Producer { get; internal set; }

    /// <summary>Which output of <see cref="Producer"/> this is.</summary>
    public int ProducerOutputIndex { get; internal set; } = -1;

    /// <summary>Every node input that reads this value, in any scope.</summary>
    public IReadOnlyList<Use> Uses => _uses;

    /// <summary>Distinct nodes that read this value.</summary>
    public IEnumerable<Node> Consumers => _uses.Select(u => u.Node).Distinct();

    public bool IsGraphInput => Graph.Inputs.Contains(this);

    public bool IsGraphOutput => Graph.Outputs.Contains(this);

    public bool IsInitializer => Initializer is not null || SparseInitializer is not null;

    /// <summary>
    /// A value whose contents are fixed: an initializer that is not also a graph input (an input with an
    /// initializer is only a default, callers may override it), or the output of a <c>Constant</c> node
    /// with a dense <c>value</c>.
    /// </summary>
    public bool IsConstant => ConstantData is not null;

    /// <summary>The fixed contents when <see cref="IsConstant"/>, else null.</summary>
    public TensorData? ConstantData =>
        Initializer is { } init && !IsGraphInput ? init
        : Producer is { OpType: "Constant" } constant && constant.IsDefaultDomain && constant.FindAttr("value") is { Kind: AttrKind.Tensor } value
            ? value.AsTensor()
            : null;

    internal void AddUse(Use use) => _uses.Add(use);

    internal void RemoveUse(Use use) => _uses.Remove(use);

    /// <summary>Points every reader of this value, and every graph output that is this value, to <paramref name="replacement"/>.</summary>
    public void ReplaceAllUsesWith(Value replacement)
    {
        if (ReferenceEquals(replacement, this))
            return;
        foreach (var use in _uses.ToArray())
            use.Node.SetInput(use.InputIndex, replacement);
        // Subgraph outputs may name an outer value directly, so every graph in scope is checked.
        foreach (var graph in Graph.SelfAndDescendants())
        {
            for (var i = 0; i < graph.Outputs.Count; i++)
                if (ReferenceEquals(graph.Outputs[i], this))
                    graph.Outputs[i] = replacement;
        }
    }

    public override string ToString() => Type is null ? Name : $"{Name}: {Type}";
}
