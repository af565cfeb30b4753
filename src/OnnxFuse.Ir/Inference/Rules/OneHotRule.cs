using OnnxFuse.Ir.Types;

namespace OnnxFuse.Ir.Inference.Rules;

/// <summary>
/// OneHot(indices, depth, values): indices' shape with a dim of size depth inserted at <c>axis</c> (default −1,
/// counted in the output's rank); element type of values.
/// </summary>
sealed class OneHotRule : IShapeRule
{
    public static OneHotRule Instance { get; } = new();

    public void Infer(InferenceContext context)
    {
        var elementType = context.InputElementType(2);
        var indices = context.InputShape(0);
        if (indices is null)
        {
            context.SetOutput(0, elementType, null);
            return;
        }
        var depth = context.InputValues(1) is [var d] ? Dim.Of(d) : Dim.Unknown;
        if (!depth.IsKnown)
            context.Unknown("depth is not constant");
        if (DimMath.NormalizeAxis(context.Int("axis", -1), indices.Rank + 1) is not { } axis)
        {
            context.Invalid($"axis {context.Int("axis", -1)} is out of range for indices {indices}");
            return;
        }
        var dims = indices.ToList();
        dims.Insert(axis, depth);
        context.SetOutput(0, elementType, new Shape(dims));
    }
}
