using OnnxFuse.Ir.Types;

namespace OnnxFuse.Ir.Inference.Rules;

/// <summary>
/// Split along <c>axis</c>: sizes from <c>split</c> (attribute before opset 13, input 1 after), else equal parts
/// over the outputs (<c>num_outputs</c> from opset 18, where the last part may be smaller: ⌈dim / n⌉ each).
/// </summary>
sealed class SplitRule : IShapeRule
{
    public static SplitRule Instance { get; } = new();

    public void Infer(InferenceContext context)
    {
        var elementType = context.InputElementType(0);
        var input = context.InputShape(0);
        var outputCount = context.OutputCount;
        if (input is null || DimMath.NormalizeAxis(context.Int("axis", 0), input.Rank) is not { } axis)
        {
            for (var i = 0; i < outputCount; i++)
                context.SetOutput(i, elementType, input is null ? null : new Shape(input.Select(_ => Dim.Unknown)));
            return;
        }
        var split = context.AttrOrInput("split", 1, 13, out var splitKnown);
        var sizes = new Dim[outputCount];
        if (!splitKnown)
        {
            Array.Fill(sizes, Dim.Unknown);
            context.Unknown("split sizes are not constant");
        }
        else if (split is not null)
        {
            if (split.Count != outputCount)
                context.Invalid($"split has {split.Count} sizes for {outputCount} outputs");
            for (var i = 0; i < outputCount; i++)
                sizes[i] = i < split.Count ? Dim.Of(split[i]) : Dim.Unknown;
        }
        else if (input[axis].Value is { } total)
        {
            var part = context.Opset >= 18 ? DimMath.CeilDiv(total, outputCount) : total / outputCount;
            if (context.Opset < 18 && total % outputCount != 0)
                context.Invalid($"dim {axis} of {input} does not split into {outputCount} equal parts");
            for (var i = 0; i < outputCount; i++)
                sizes[i] = Dim.Of(Math.Clamp(total - i * part, 0, part));
        }
        else
        {
            Array.Fill(sizes, outputCount == 1 ? input[axis] : Dim.Unknown);
        }
        for (var i = 0; i < outputCount; i++)
        {
            var dims = input.ToArray();
            dims[axis] = sizes[i];
            context.SetOutput(i, elementType, new Shape(dims));
        }
    }
}
