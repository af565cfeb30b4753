using OnnxFuse.Ir.Types;

namespace OnnxFuse.Ir.Inference.Rules;

/// <summary>
/// Spatial output sizes of sliding windows (Conv, pools), from the attributes every such op shares:
/// <c>kernel_shape</c>, <c>strides</c>, <c>dilations</c>, <c>pads</c> (begins then ends) and <c>auto_pad</c>.
/// Effective kernel e = d·(k − 1) + 1. NOTSET: ⌊(in + pb + pe − e) / s⌋ + 1 (ceil with <c>ceil_mode</c>, where a
/// last window that would start in the end padding is dropped); SAME_*: ⌈in / s⌉; VALID: ⌈(in − e + 1) / s⌉.
/// </summary>
static class WindowGeometry
{
    public static Dim[] OutputSizes(InferenceContext context, Shape input, IReadOnlyList<long> kernel, bool ceilMode)
    {
        var spatial = kernel.Count;
        var strides = context.Ints("strides") ?? Ones(spatial);
        var dilations = context.Ints("dilations") ?? Ones(spatial);
        var pads = context.Ints("pads") ?? new long[2 * spatial];
        var autoPad = context.String("auto_pad", "NOTSET");
        var sizes = new Dim[spatial];
        for (var k = 0; k < spatial; k++)
        {
            var inputDim = input[input.Rank - spatial + k];
            var stride = strides[k];
            var effective = dilations[k] * (kernel[k] - 1) + 1;
            if (inputDim.Value is not { } size)
            {
                var identity = effective == 1 && stride == 1 && (autoPad != "NOTSET" || pads[k] + pads[k + spatial] == 0);
                sizes[k] = identity ? inputDim : Dim.Unknown;
                continue;
            }
            sizes[k] = Dim.Of(autoPad switch
            {
                "SAME_UPPER" or "SAME_LOWER" => DimMath.CeilDiv(size, stride),
                "VALID" => DimMath.CeilDiv(size - effective + 1, stride),
                _ => Explicit(size, pads[k], pads[k + spatial], effective, stride, ceilMode),
            });
        }
        return sizes;
    }

    static long Explicit(long size, long padBegin, long padEnd, long effective, long stride, bool ceilMode)
    {
        var span = size + padBegin + padEnd - effective;
        if (!ceilMode)
            return DimMath.FloorDiv(span, stride) + 1;
        var count = DimMath.CeilDiv(span, stride) + 1;
        // A window that would start inside the end padding is not produced.
        if ((count - 1) * stride >= size + padBegin)
            count--;
        return count;
    }

    public static long[] Ones(int count) => [.. Enumerable.Repeat(1L, count)];
}
