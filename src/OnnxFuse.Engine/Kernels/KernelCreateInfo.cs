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

    public KernelCreateInfo(string domain, string opType, long opset, string nodeDescription, IReadOnlyList<Attr> attributes,
        TensorData?[] constantInputs, TensorType?[] inputTypes, int outputCount, IReadOnlyDictionary<string, ExecutionPlan> subplans)
    {
        Domain = domain;
        OpType = opType;
        Opset = opset;
        NodeDescription = nodeDescription;
        _attributes = attributes;
        ConstantInputs = constantInputs;
        InputTypes = inputTypes;
        OutputCount = outputCount;
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

    public TensorData? Constant(int index) => index < ConstantInputs.Length ? ConstantInputs[index] : null;

    /// <summary>A constant integer input (int64 or int32) as longs, or null when the input is not constant.</summary>
    public long[]? ConstantInts(int index) => Constant(index) is { } data ? IntTensors.ToLongs(data) : null;

    public ElementType? InputElementType(int index) => index < InputTypes.Length ? InputTypes[index]?.ElementType : null;

    /// <summary>The error a factory throws for an attribute combination the engine does not implement.</summary>
    public UnsupportedOpException Unsupported(string what) =>
        new($"{what} in node {NodeDescription} is not supported by the managed engine");
}
