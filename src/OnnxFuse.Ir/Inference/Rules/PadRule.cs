using OnnxFuse.Ir.Types;

namespace OnnxFuse.Ir.Inference.Rules;

/// <summary>
/// Pad: dim k grows by pads[k] + pads[k + n] (n pairs for the padded axes: every axis, or <c>axes</c> from
/// opset 18). pads are an attribute before opset 11 and input 1 after.
/// </summary>
sealed class PadRule : IShapeRule
{
    public static PadRule Instance { get; } = new();

    public void Infer(InferenceContext context)
    {
        var elementType = context.InputElementType(0);
        var input = context.InputShape(0);
        if (input is null)
        {
            context.SetOutput(0, elementType, null);
            return;
        }
        var pads = context.AttrOrInput(context.Opset < 2 ? "paddings" : "pads", 1, 11, out var padsKnown);
        IReadOnlyList<long>? axes = null;
        var axesKnown = true;
        if (context.Opset >= 18 && context.HasInput(3))
            axes = context.AttrOrInput("axes", 3, 18, out axesKnown);
        if (pads is null || !padsKnown || !axesKnown)
        {
            context.SetOutput(0, elementType, new Shape(input.Select(_ => Dim.Unknown)));
            context.Unknown("pads are not constant");
            return;
        }
        axes ??= [.. Enumerable.Range(0, input.Rank).Select(k => (long)k)];
        if (pads.Count != 2 * axes.Count)
        {
            context.Invalid($"{pads.Count} pads for {axes.Count} axes of shape {input}");
            return;
        }
        var dims = input.ToArray();
        for (var i = 0; i < axes.Count; i++)
        {
            if (DimMath.NormalizeAxis(axes[i], input.Rank) is { } axis)
                dims[axis] = DimMath.Add(dims[axis], Dim.Of(pads[i] + pads[i + axes.Count]));
        }
        context.SetOutput(0, elementType, new Shape(dims));
    }
}
