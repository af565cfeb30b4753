namespace OnnxFuse.Ir.Graphs;

/// <summary>
/// One operator application. Inputs and outputs are <see cref="Value"/>s (null where ONNX writes an empty
/// name for an omitted optional input or output). Changing an input keeps the values' use lists in step.
/// </summary>
public sealed class Node
{
    readonly List<Value?> _inputs = [];
    readonly List<Value?> _outputs = [];
    readonly List<Attr> _attributes = [];

    internal Node(Graph graph, string name, string opType, string domain)
    {
        Graph = graph;
        Name = name;
        OpType = opType;
        Domain = domain;
    }

    public Graph Graph { get; internal set; }

    public string Name { get; set; }

    public string OpType { get; set; }

    /// <summary>Operator domain; "" (or its alias "ai.onnx") is ONNX's default domain.</summary>
    public string Domain { get; set; }

    /// <summary>ONNX 1.16's function overload identifier; usually empty.</summary>
    public string Overload { get; set; } = "";

    public string? DocString { get; set; }

    public IDictionary<string, string> MetadataProps { get; } = new OrderedDictionary<string, string>();

    public bool IsDefaultDomain => Domain is "" or "ai.onnx";

    public IReadOnlyList<Value?> Inputs => _inputs;

    public IReadOnlyList<Value?> Outputs => _outputs;

    public IReadOnlyList<Attr> Attributes => _attributes;

    /// <summary>Input <paramref name="index"/>, which must be present.</summary>
    public Value Input(int index) => index < _inputs.Count && _inputs[index] is { } value
        ? value
        : throw new InvalidOperationException($"node '{Name}' ({OpType}) has no input {index}");

    /// <summary>Input <paramref name="index"/>, or null when absent or omitted.</summary>
    public Value? OptionalInput(int index) => index < _inputs.Count ? _inputs[index] : null;

    public Value Output(int index) => index < _outputs.Count && _outputs[index] is { } value
        ? value
        : throw new InvalidOperationException($"node '{Name}' ({OpType}) has no output {index}");

    public Value? OptionalOutput(int index) => index < _outputs.Count ? _outputs[index] : null;

    public void SetInput(int index, Value? value)
    {
        while (_inputs.Count <= index)
            _inputs.Add(null);
        _inputs[index]?.RemoveUse(new Use(this, index));
        _inputs[index] = value;
        value?.AddUse(new Use(this, index));
    }

    public void AddInput(Value? value) => SetInput(_inputs.Count, value);

    /// <summary>Drops trailing inputs from <paramref name="count"/> on.</summary>
    public void TruncateInputs(int count)
    {
        for (var i = _inputs.Count - 1; i >= count; i--)
        {
            _inputs[i]?.RemoveUse(new Use(this, i));
            _inputs.RemoveAt(i);
        }
    }

    /// <summary>Disconnects every input (before the node leaves its graph).</summary>
    internal void DetachInputs() => TruncateInputs(0);

    internal void AppendOutput(Value? value)
    {
        if (value is not null)
        {
            value.Producer = this;
            value.ProducerOutputIndex = _outputs.Count;
        }
        _outputs.Add(value);
    }

    /// <summary>Hands every output value to <paramref name="target"/>, which must have none yet.</summary>
    internal void MoveOutputsTo(Node target)
    {
        if (target._outputs.Count != 0)
            throw new InvalidOperationException($"node {target.Describe()} already has outputs");
        foreach (var output in _outputs)
            target.AppendOutput(output);
        _outputs.Clear();
    }

    public Attr? FindAttr(string name) => _attributes.Find(a => a.Name == name);

    public bool HasAttr(string name) => FindAttr(name) is not null;

    /// <summary>Adds or replaces the attribute of the same name, keeping its position.</summary>
    public void SetAttr(Attr attr)
    {
        var index = _attributes.FindIndex(a => a.Name == attr.Name);
        if (index >= 0)
            _attributes[index] = attr;
        else
            _attributes.Add(attr);
        foreach (var subgraph in attr.Subgraphs)
            subgraph.Owner = this;
    }

    public bool RemoveAttr(string name) => _attributes.RemoveAll(a => a.Name == name) > 0;

    public long GetInt(string name, long defaultValue) => FindAttr(name) is { } a ? a.AsInt() : defaultValue;

    public float GetFloat(string name, float defaultValue) => FindAttr(name) is { } a ? a.AsFloat() : defaultValue;

    public string GetString(string name, string defaultValue) => FindAttr(name) is { } a ? a.AsString() : defaultValue;

    public IReadOnlyList<long>? GetInts(string name) => FindAttr(name)?.AsInts();

    public IReadOnlyList<float>? GetFloats(string name) => FindAttr(name)?.AsFloats();

    /// <summary>Graphs held in this node's attributes (If branches, Loop/Scan bodies).</summary>
    public IEnumerable<Graph> Subgraphs => _attributes.SelectMany(a => a.Subgraphs);

    /// <summary>"'name' (OpType)" for messages.</summary>
    public string Describe() => $"'{Name}' ({(IsDefaultDomain ? "" : Domain + ".")}{OpType})";

    public override string ToString() =>
        $"{string.Join(", ", _outputs.Select(o => o?.Name ?? ""))} = {OpType}({string.Join(", ", _inputs.Select(i => i?.Name ?? ""))})";
}
