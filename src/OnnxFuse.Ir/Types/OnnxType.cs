using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Ir.Types;

/// <summary>The type of a value, as ONNX's <c>TypeProto</c>: a tensor, or a sequence / map / optional of other types.</summary>
public abstract record OnnxType
{
    /// <summary>ONNX's optional type denotation (IMAGE, AUDIO…), kept so round trips are lossless.</summary>
    public string? Denotation { get; init; }
}

/// <summary>A dense tensor; <paramref name="Shape"/> is null when even the rank is unknown.</summary>
public sealed record TensorType(ElementType ElementType, Shape? Shape) : OnnxType
{
    public override string ToString() => $"{ElementType.DisplayName()}{Shape?.ToString() ?? "[?]"}";
}

/// <summary>A sparse tensor; <paramref name="Shape"/> is null when even the rank is unknown.</summary>
public sealed record SparseTensorType(ElementType ElementType, Shape? Shape) : OnnxType
{
    public override string ToString() => $"sparse {ElementType.DisplayName()}{Shape?.ToString() ?? "[?]"}";
}

public sealed record SequenceType(OnnxType? ElementType) : OnnxType
{
    public override string ToString() => $"seq({ElementType})";
}

public sealed record MapType(ElementType KeyType, OnnxType? ValueType) : OnnxType
{
    public override string ToString() => $"map({KeyType.DisplayName()}, {ValueType})";
}

public sealed record OptionalType(OnnxType? ElementType) : OnnxType
{
    public override string ToString() => $"optional({ElementType})";
}
