using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;

namespace OnnxFuse.Ir.Inference.Rules;

/// <summary>
/// Operators whose output sizes depend on tensor contents, so some dims stay unknown by nature:
/// NonZero → int64 [rank, ?]; Compress → [?] (or the input with dim <c>axis</c> unknown);
/// Unique → Y [?] (or along <c>axis</c>) and int64 indices/inverse/counts [?].
/// </summary>
sealed class DataDependentRule : IShapeRule
{
    public static DataDependentRule Instance { get; } = new();

    public void Infer(InferenceContext context)
    {
        var elementType = context.InputElementType(0);
        var x = context.InputShape(0);
        context.Unknown($"{context.Node.OpType}'s output size depends on the input's contents");
        switch (context.Node.OpType)
        {
            case "NonZero":
                context.SetOutput(0, ElementType.Int64, new Shape([x is null ? Dim.Unknown : Dim.Of(x.Rank), Dim.Unknown]));
                break;
            default:
                var axis = context.Node.FindAttr("axis")?.AsInt();
                Shape? output = new([Dim.Unknown]);
                if (axis is not null && x is not null && DimMath.NormalizeAxis(axis.Value, x.Rank) is { } k)
                    output = new Shape(x.Select((d, j) => j == k ? Dim.Unknown : d));
                context.SetOutput(0, elementType, output);
                for (var i = 1; i < context.OutputCount; i++)
                    context.SetOutput(i, ElementType.Int64, new Shape([Dim.Unknown]));
                break;
        }
    }
}
