using OnnxFuse.Ir.Types;

namespace OnnxFuse.Ir.Inference.Rules;

/// <summary>
/// Slice: per listed axis, starts and ends are made non-negative (adding the dim) and clamped to the dim
/// ([0, dim] for positive steps, [−1, dim − 1] for negative ones), giving max(0, ⌈(end − start) / step⌉).
/// starts/ends/axes are attributes in opsets 1–9 and inputs 1–4 (with steps) from 10 on. Known 1-D contents
/// are sliced too.
/// </summary>
sealed class SliceRule : IShapeRule
{
    public static SliceRule Instance { get; } = new();

    public void Infer(InferenceContext context)
    {
        var elementType = context.InputElementType(0);
        var input = context.InputShape(0);
        if (input is null)
        {
            context.SetOutput(0, elementType, null);
            return;
        }
        var starts = context.AttrOrInput("starts", 1, 10, out var startsKnown);
        var ends = context.AttrOrInput("ends", 2, 10, out var endsKnown);
        var axes = context.AttrOrInput("axes", 3, 10, out var axesKnown);
        IReadOnlyList<long>? steps = null;
        var stepsKnown = true;
        if (context.Opset >= 10)
            steps = context.AttrOrInput("steps", 4, 10, out stepsKnown);
        if (!startsKnown || !endsKnown || !axesKnown || !stepsKnown || starts is null || ends is null)
        {
            // Without the parameters every dim could change, but the rank cannot.
            context.SetOutput(0, elementType, new Shape(input.Select(_ => Dim.Unknown)));
            context.Unknown("Slice parameters are not constant");
            return;
        }
        axes ??= [.. Enumerable.Range(0, starts.Count).Select(k => (long)k)];
        var dims = input.ToArray();
        var ranges = new (long Start, long Step, long Count)?[input.Rank];
        for (var i = 0; i < axes.Count; i++)
        {
            var step = steps is { Count: > 0 } ? steps[i] : 1;
            if (DimMath.NormalizeAxis(axes[i], input.Rank) is not { } axis || step == 0)
            {
                context.Invalid($"axis {axes[i]} or step {step} is invalid for shape {input}");
                return;
            }
            if (input[axis].Value is { } size)
            {
                var range = Range(starts[i], ends[i], step, size);
                ranges[axis] = range;
                dims[axis] = Dim.Of(range.Count);
            }
            else
            {
                dims[axis] = starts[i] == 0 && ends[i] >= int.MaxValue && step == 1 ? input[axis] : Dim.Unknown;
            }
        }
        context.SetOutput(0, elementType, new Shape(dims));
        if (input.Rank == 1 && context.InputData(0) is { Rank: 1 } data)
        {
            var (start, step, count) = ranges[0] ?? (0, 1, data.Elements.Count);
            context.SetOutputData(0, PartialData.Vector([.. Enumerable.Range(0, (int)count).Select(j => data.Elements[(int)(start + j * step)])]));
        }
    }

    static (long Start, long Step, long Count) Range(long start, long end, long step, long size)
    {
        if (start < 0)
            start += size;
        if (end < 0)
            end += size;
        if (step > 0)
        {
            start = Math.Clamp(start, 0, size);
            end = Math.Clamp(end, 0, size);
            return (start, step, Math.Max(0, DimMath.CeilDiv(end - start, step)));
        }
        start = Math.Clamp(start, 0, size - 1);
        end = Math.Clamp(end, -1, size - 1);
        return (start, step, Math.Max(0, DimMath.CeilDiv(start - end, -step)));
    }
}
