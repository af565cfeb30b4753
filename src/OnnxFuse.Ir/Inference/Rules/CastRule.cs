using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;

namespace OnnxFuse.Ir.Inference.Rules;

/// <summary>
/// Cast (element type from <c>to</c>) and CastLike (element type of input 1); the shape is unchanged.
/// Integer contents stay known across casts between integer types (and to bool).
/// </summary>
sealed class CastRule : IShapeRule
{
    public static CastRule Instance { get; } = new();

    public void Infer(InferenceContext context)
    {
        var target = context.Node.OpType == "CastLike"
            ? context.InputElementType(1)
            : context.Node.FindAttr("to") is { } to ? (ElementType)to.AsInt() : null;
        context.SetOutput(0, target, context.InputShape(0));
        if (context.InputData(0) is not { } data || target is null)
            return;
        if (target == ElementType.Bool)
            context.SetOutputData(0, data with { Elements = [.. data.Elements.Select(e => e.IsKnown ? Dim.Of(e.Value != 0 ? 1 : 0) : Dim.Unknown)] });
        else if (IsInteger(target.Value))
            context.SetOutputData(0, data);
    }

    static bool IsInteger(ElementType type) => type is ElementType.Int64 or ElementType.Int32 or ElementType.Int16
        or ElementType.Int8 or ElementType.UInt64 or ElementType.UInt32 or ElementType.UInt16 or ElementType.UInt8;
}
