using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;

namespace OnnxFuse.Ir.Inference;

/// <summary>Whether a type is complete enough for the report: an element type and a shape without unknown dims.</summary>
static class TypeChecks
{
    /// <summary>Describes what is missing ("no type", "an unknown rank"…), or null when nothing is.</summary>
    public static string? MissingPart(OnnxType? type) => type switch
    {
        null => "no type",
        TensorType { ElementType: ElementType.Undefined } => "an unknown element type",
        TensorType { Shape: null } => "an unknown rank",
        TensorType { Shape: { } shape } when shape.Any(d => !d.IsKnown && !d.IsSymbolic) => $"unknown dims in {shape}",
        SequenceType { ElementType: null } => "an unknown sequence element type",
        _ => null,
    };
}
