using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;

namespace OnnxFuse.Runtime;

/// <summary>A model input or output as a runner sees it: name, element type and shape (symbolic dims by name).</summary>
public sealed record ValueDescription(string Name, ElementType ElementType, Shape? Shape)
{
    /// <summary>An input with a default (an initializer of the same name): <see cref="ModelRunner.Run()"/> does not require it.</summary>
    public bool HasDefault { get; init; }

    public override string ToString() => $"{Name}: {ElementType.DisplayName()}{Shape?.ToString() ?? "[?]"}";
}
