using OnnxFuse.Engine.Planning;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;

namespace OnnxFuse.Engine.Kernels;

/// <summary>
/// Everything a <see cref="KernelFactory"/> may know about the node it builds a kernel for: operator identity and
/// version, attributes, the contents of constant inputs, declared input types, and planned subgraphs.
/// </summary>
sealed class KernelCreateInfo
{
    readonly IReadOnlyList<Attr> _attributes;
    readonly bool[] _inputPresent;
    readonly bool[] _outputUsed;

    public KernelCreateInfo(string domain, string opType, long opset, string nodeDescription, IReadOnlyList<Attr> attributes,
        TensorData?[] constantInputs, TensorType?[] inputTypes, bool[] inputPresent, bool[] outputUsed,
        IReadOnlyDictionary<string, ExecutionPlan> subplans)
    {
        Domain = domain;
        OpType = opType;
        Opset = opset;
        NodeDescription = nodeDescription;
        _attributes = attributes;
        ConstantInputs = constantInputs;
        InputTypes = inputTypes;
        _inputPresent = inputPresent;
        _outputUsed = outputUsed;
        OutputCount = outputUsed.Length;
        Subplans = subplans;
    }

    public string Domain { get; }

    public string OpType { get; }

    public long Opset { get; }

    /// <summary>"'name' (OpType)", for messages.</summary>
    public string NodeDescription { get; }

    /// <summary>Contents of each input that is constant at plan time; null for run-time inputs and omitted ones.</summary>
    public TensorData?[] ConstantInputs { get; }

    /// <summary>Declared type of each input; null where unknown or omitted.</summary>
    public TensorType?[] InputTypes { get; }

    public int InputCount => InputTypes.Length;

    public int OutputCount { get; }

    /// <summary>Plans of the node's graph attributes, by attribute name.</summary>
    public IReadOnlyDictionary<string, ExecutionPlan> Subplans { get; }

    public Attr? FindAttr(string name)
    {
        foreach (var attr in _attributes)
            if (attr.Name == name)
                return attr;
        return null;
    }

    public long GetInt(string name, long defaultValue) => FindAttr(name) is { } a ? a.AsInt() : defaultValue;

    public float GetFloat(string name, float defaultValue) => FindAttr(name) is { } a ? a.AsFloat() : defaultValue;

    public string GetString(string name, string defaultValue) => FindAttr(name) is { } a ? a.AsString() : defaultValue;

    public long[]? GetInts(string name) => FindAttr(name) is { } a ? [.. a.AsInts()] : null;

    public float[]? GetFloats(string name) => FindAttr(name) is { } a ? [.. a.AsFloats()] : null;

    /// <summary>True when the node supplies input <paramref name="index"/> (not omitted, not past the end).</summary>
    public bool HasInput(int index) => index < _inputPresent.Length && _inputPresent[index];

    /// <summary>True when output <paramref name="index"/> is read by another node, a subgraph or the graph's outputs.</summary>
    public bool IsOutputUsed(int index) => index < _outputUsed.Length && _outputUsed[index];

    /// <summary>The first of <paramref name="indices"/> whose input the node supplies, or −1.</summary>
    public int FirstPresentInput(params ReadOnlySpan<int> indices)
    {
        foreach (var index in indices)
            if (HasInput(index))
                return index;
        return -1;
    }

    /// <summary>The first of <paramref name="indices"/> whose output is read, or −1.</summary>
    public int FirstUsedOutput(params ReadOnlySpan<int> indices)
    {
        foreach (var index in indices)
            if (IsOutputUsed(index))
                return index;
        return -1;
    }

    public TensorData? Constant(int index) => index < ConstantInputs.Length ? ConstantInputs[index] : null;

    /// <summary>A constant integer input (int64 or int32) as longs, or null when the input is not constant.</summary>
    public long[]? ConstantInts(int index) => Constant(index) is { } data ? IntTensors.ToLongs(data) : null;

    public ElementType? InputElementType(int index) => index < InputTypes.Length ? InputTypes[index]?.ElementType : null;

    /// <summary>The error a factory throws for an attribute combination the engine does not implement.</summary>
    public UnsupportedOpException Unsupported(string what) =>
        new($"{what} in node {NodeDescription} is not supported by the managed engine");
}
