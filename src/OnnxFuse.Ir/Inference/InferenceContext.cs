using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;

namespace OnnxFuse.Ir.Inference;

/// <summary>
/// One node's view of an inference run: its input types and known contents, its opset, and slots for the output
/// types and contents a rule computes. Rules write only here; <see cref="InferenceRun"/> merges the results
/// into the values afterwards, so a rule never overwrites a more precise declared type.
/// </summary>
sealed class InferenceContext
{
    readonly InferenceRun _run;
    readonly OnnxType?[] _outputTypes;
    readonly PartialData?[] _outputData;

    public InferenceContext(InferenceRun run, Node node, long opset)
    {
        _run = run;
        Node = node;
        Opset = opset;
        _outputTypes = new OnnxType?[node.Outputs.Count];
        _outputData = new PartialData?[node.Outputs.Count];
    }

    public Node Node { get; }

    /// <summary>Version of the node's domain imported by the model.</summary>
    public long Opset { get; }

    /// <summary>Why some output stays unknown, for the report (the first reason given wins).</summary>
    public string? UnknownReason { get; private set; }

    public int InputCount => Node.Inputs.Count;

    public int OutputCount => Node.Outputs.Count;

    public IReadOnlyList<OnnxType?> OutputTypes => _outputTypes;

    public IReadOnlyList<PartialData?> OutputData => _outputData;

    public bool HasInput(int index) => Node.OptionalInput(index) is not null;

    public bool HasOutput(int index) => Node.OptionalOutput(index) is not null;

    public OnnxType? InputType(int index) => Node.OptionalInput(index)?.Type;

    public TensorType? InputTensorType(int index) => InputType(index) as TensorType;

    /// <summary>Input shape; null when the input is absent or its rank is unknown.</summary>
    public Shape? InputShape(int index) => InputTensorType(index)?.Shape;

    public int? InputRank(int index) => InputShape(index)?.Rank;

    /// <summary>Element type of an input, null when absent or undefined.</summary>
    public ElementType? InputElementType(int index) =>
        InputTensorType(index)?.ElementType is { } type && type != ElementType.Undefined ? type : null;

    /// <summary>Known contents of a small integer input (from initializers, Constant nodes or folding).</summary>
    public PartialData? InputData(int index) => Node.OptionalInput(index) is { } value ? _run.DataOf(value) : null;

    /// <summary>Contents of an integer input when every element is a known number.</summary>
    public long[]? InputValues(int index) => InputData(index)?.TryGetValues();

    /// <summary>A constant input's full contents (any element type), for rules that read float scales.</summary>
    public TensorData? InputConstant(int index) => Node.OptionalInput(index)?.ConstantData;

    public void SetOutput(int index, ElementType? elementType, Shape? shape)
    {
        if (index < _outputTypes.Length)
            _outputTypes[index] = new TensorType(elementType ?? ElementType.Undefined, shape);
    }

    public void SetOutputType(int index, OnnxType? type)
    {
        if (index < _outputTypes.Length)
            _outputTypes[index] = type;
    }

    /// <summary>Output <paramref name="index"/> gets input <paramref name="inputIndex"/>'s type unchanged.</summary>
    public void PassThrough(int inputIndex, int index = 0) => SetOutputType(index, InputType(inputIndex));

    public void SetOutputData(int index, PartialData? data)
    {
        if (index < _outputData.Length && data is not null && data.Elements.Count <= PartialData.MaxElements)
            _outputData[index] = data;
    }

    /// <summary>Records why an output stays unknown; the first reason is kept.</summary>
    public void Unknown(string reason) => UnknownReason ??= reason;

    /// <summary>Reports inputs that the operator cannot accept (incompatible shapes, bad axes).</summary>
    public void Invalid(string message) => _run.ReportInvalid(Node, message);

    /// <summary>
    /// Infers a subgraph whose formal inputs get <paramref name="inputTypes"/> (merged with any declared types),
    /// and returns the types of its outputs.
    /// </summary>
    public IReadOnlyList<OnnxType?> InferSubgraph(Graph graph, IReadOnlyList<OnnxType?> inputTypes) =>
        _run.InferSubgraph(graph, inputTypes);

    public long Int(string name, long defaultValue) => Node.GetInt(name, defaultValue);

    public float Float(string name, float defaultValue) => Node.GetFloat(name, defaultValue);

    public string String(string name, string defaultValue) => Node.GetString(name, defaultValue);

    public IReadOnlyList<long>? Ints(string name) => Node.FindAttr(name)?.AsInts();

    /// <summary>
    /// A list argument that moved from attribute to input at <paramref name="inputSinceOpset"/> (Squeeze axes,
    /// Slice starts, Pad pads…). <paramref name="known"/> is false when the argument is given but not constant.
    /// </summary>
    public IReadOnlyList<long>? AttrOrInput(string attrName, int inputIndex, long inputSinceOpset, out bool known)
    {
        known = true;
        if (Opset < inputSinceOpset)
            return Ints(attrName);
        if (!HasInput(inputIndex))
            return null;
        var values = InputValues(inputIndex);
        known = values is not null;
        return values;
    }
}
