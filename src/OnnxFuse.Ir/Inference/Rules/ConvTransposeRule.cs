using OnnxFuse.Ir.Types;

namespace OnnxFuse.Ir.Inference.Rules;

/// <summary>
/// ConvTranspose: X [N, C, D1…Dn], W [C, M/group, k1…kn] → Y [N, M, o1…on] with
/// o = s·(in − 1) + output_padding + d·(k − 1) + 1 − pad_begin − pad_end, or in·s for SAME_* auto_pad,
/// or the given <c>output_shape</c> (its last n entries).
/// </summary>
sealed class ConvTransposeRule : IShapeRule
{
    public static ConvTransposeRule Instance { get; } = new();

    public void Infer(InferenceContext context)
    {
        var elementType = context.InputElementType(0);
        var x = context.InputShape(0);
        var w = context.InputShape(1);
        if (x is null || x.Rank < 3)
        {
            context.SetOutput(0, elementType, null);
            return;
        }
        var spatial = x.Rank - 2;
        var outChannels = w is not null ? DimMath.Multiply(w[1], Dim.Of(context.Int("group", 1))) : Dim.Unknown;
        if (context.Ints("output_shape") is { } outputShape)
        {
            context.SetOutput(0, elementType, new Shape([x[0], outChannels, .. outputShape.Skip(outputShape.Count - spatial).Select(Dim.Of)]));
            return;
        }
        var kernel = context.Ints("kernel_shape")?.ToArray()
            ?? (w is not null && w.Skip(2).All(d => d.IsKnown) ? [.. w.Skip(2).Select(d => d.Value!.Value)] : null);
        if (kernel is null || kernel.Length != spatial)
        {
            context.SetOutput(0, elementType, new Shape([x[0], outChannels, .. Enumerable.Repeat(Dim.Unknown, spatial)]));
            context.Unknown("kernel shape is unknown");
            return;
        }
        var strides = context.Ints("strides") ?? WindowGeometry.Ones(spatial);
        var dilations = context.Ints("dilations") ?? WindowGeometry.Ones(spatial);
        var outputPadding = context.Ints("output_padding") ?? new long[spatial];
        var pads = context.Ints("pads") ?? new long[2 * spatial];
        var autoPad = context.String("auto_pad", "NOTSET");
        var dims = new Dim[spatial];
        for (var k = 0; k < spatial; k++)
        {
            if (x[k + 2].Value is not { } size)
                continue;
            dims[k] = autoPad is "SAME_UPPER" or "SAME_LOWER"
                ? Dim.Of(size * strides[k])
                : Dim.Of(strides[k] * (size - 1) + outputPadding[k] + dilations[k] * (kernel[k] - 1) + 1
                    - (autoPad == "VALID" ? 0 : pads[k] + pads[k + spatial]));
        }
        context.SetOutput(0, elementType, new Shape([x[0], outChannels, .. dims]));
    }
}
