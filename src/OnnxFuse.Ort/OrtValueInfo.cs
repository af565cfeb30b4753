using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;

namespace OnnxFuse.Ort;

/// <summary>
/// A model input or output as ONNX Runtime reports it: name, element type and shape, where a dimension is a size,
/// a symbolic name (<c>batch</c>) or unknown. Non-tensor values (sequences, maps) have <see cref="ElementType.Undefined"/>
/// and an empty shape.
/// </summary>
public sealed record OrtValueInfo(string Name, ElementType ElementType, Shape Shape)
{
    public override string ToString() => $"{Name}: {ElementType.DisplayName()}{Shape}";
}
