using OnnxFuse.Ir.Types;

namespace OnnxFuse.Ir.Inference.Rules;

/// <summary>
/// Squeeze (drops the listed size-1 axes, or every size-1 dim without axes) and Unsqueeze (inserts size-1 axes,
/// numbered in the output's rank). Axes are an attribute before opset 13 and input 1 from 13 on.
/// Known contents pass through with the new dims.
/// </summary>
sealed class SqueezeUnsqueezeRule : IShapeRule
{
    public static SqueezeUnsqueezeRule Instance { get; } = new();

    public void Infer(InferenceContext context)
    {
        var elementType = context.InputElementType(0);
        var input = context.InputShape(0);
        var axes = context.AttrOrInput("axes", 1, 13, out var axesKnown);
        if (input is null || !axesKnown)
        {
            context.SetOutput(0, elementType, null);
            context.Unknown(input is null ? "input rank is unknown" : "axes are not constant");
            return;
        }
        var output = context.Node.OpType == "Squeeze" ? Squeeze(context, input, axes) : Unsqueeze(context, input, axes ?? []);
        context.SetOutput(0, elementType, output);
        if (output?.TryGetStatic() is { } dims && context.InputData(0) is { } data)
            context.SetOutputData(0, data with { Dims = dims });
    }

    static Shape? Squeeze(InferenceContext context, Shape input, IReadOnlyList<long>? axes)
    {
        if (axes is null)
        {
            if (input.Any(d => !d.IsKnown))
            {
                context.Unknown("Squeeze without axes on a shape with unknown dims");
                return null;
            }
            return new Shape(input.Where(d => d.Value != 1));
        }
        var drop = new HashSet<int>();
        foreach (var axis in axes)
        {
            if (DimMath.NormalizeAxis(axis, input.Rank) is not { } k)
            {
                context.Invalid($"axis {axis} is out of range for shape {input}");
                return null;
            }
            if (input[k].IsKnown && input[k].Value != 1)
                context.Invalid($"cannot squeeze axis {axis} of shape {input}: its size is not 1");
            drop.Add(k);
        }
        return new Shape(input.Where((_, k) => !drop.Contains(k)));
    }

    static Shape? Unsqueeze(InferenceContext context, Shape input, IReadOnlyList<long> axes)
    {
        var rank = input.Rank + axes.Count;
        var insert = new HashSet<int>();
        foreach (var axis in axes)
        {
            if (DimMath.NormalizeAxis(axis, rank) is not { } k || !insert.Add(k))
            {
                context.Invalid($"axes [{string.Join(',', axes)}] are invalid for unsqueezing shape {input}");
                return null;
            }
        }
        var dims = new Dim[rank];
        var next = 0;
        for (var k = 0; k < rank; k++)
            dims[k] = insert.Contains(k) ? Dim.Of(1) : input[next++];
        return new Shape(dims);
    }
}
