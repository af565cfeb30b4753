using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;

namespace OnnxFuse.Engine;

/// <summary>
/// A session input or output as the model declares it. <paramref name="Shape"/> keeps symbolic dimensions
/// (<c>batch</c>) and is null when the model does not give the rank.
/// </summary>
public sealed record TensorInfo(string Name, ElementType ElementType, Shape? Shape)
{
    public override string ToString() => $"{Name}: {ElementType.DisplayName()}{Shape?.ToString() ?? "[?]"}";
}
