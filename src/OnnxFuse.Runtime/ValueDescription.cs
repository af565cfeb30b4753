using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;

namespace OnnxFuse.Runtime;

/// <summary>A model input or output as a runner sees it: name, element type and shape (symbolic dims by name).</summary>
public sealed record ValueDescription(string Name, ElementType ElementType, Shape? Shape)
{
    public override string ToString() => $"{Name}: {ElementType.DisplayName()}{Shape?.ToString() ?? "[?]"}";
}
