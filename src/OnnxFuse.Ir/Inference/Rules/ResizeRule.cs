using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;

namespace OnnxFuse.Ir.Inference.Rules;

/// <summary>
/// Resize and Upsample: each dim becomes sizes[k] when <c>sizes</c> is given, else ⌊in · scales[k]⌋. Scales are
/// Upsample's attribute before opset 9, then an input (1 for Upsample and Resize-10, 2 for Resize 11+, whose
/// sizes are input 3); from opset 18 <c>axes</c> restricts them to some dims, and a
/// <c>keep_aspect_ratio_policy</c> of not_larger / not_smaller scales all those dims by one factor.
/// </summary>
sealed class ResizeRule : IShapeRule
{
    public static ResizeRule Instance { get; } = new();

    public void Infer(InferenceContext context)
    {
        var elementType = context.InputElementType(0);
        var x = context.InputShape(0);
        if (x is null)
        {
            context.SetOutput(0, elementType, null);
            return;
        }
        var upsample = context.Node.OpType == "Upsample";
        var axes = context.Ints("axes")?.Select(a => DimMath.NormalizeAxis(a, x.Rank) ?? 0).ToArray() ?? [.. Enumerable.Range(0, x.Rank)];
        var dims = x.ToArray();
        var sizes = !upsample && context.Opset >= 11 ? context.InputValues(3) : null;
        if (sizes is not null && sizes.Length == axes.Length)
        {
            ApplySizes(context, x, axes, sizes, dims);
            context.SetOutput(0, elementType, new Shape(dims));
            return;
        }
        var scales = upsample && context.Opset < 9 ? context.Node.GetFloats("scales")?.ToArray()
            : Floats(context.InputConstant(upsample || context.Opset < 11 ? 1 : 2));
        if (scales is null || scales.Length != axes.Length)
        {
            context.SetOutput(0, elementType, new Shape(x.Select(_ => Dim.Unknown)));
            context.Unknown("Resize's scales and sizes are not constant");
            return;
        }
        for (var i = 0; i < axes.Length; i++)
        {
            var k = axes[i];
            dims[k] = x[k].Value is { } size ? Dim.Of((long)Math.Floor(size * (double)scales[i])) : scales[i] == 1f ? x[k] : Dim.Unknown;
        }
        context.SetOutput(0, elementType, new Shape(dims));
    }

    static void ApplySizes(InferenceContext context, Shape x, int[] axes, long[] sizes, Dim[] dims)
    {
        var policy = context.String("keep_aspect_ratio_policy", "stretch");
        if (policy == "stretch" || axes.Any(k => !x[k].IsKnown))
        {
            for (var i = 0; i < axes.Length; i++)
                dims[axes[i]] = Dim.Of(sizes[i]);
            return;
        }
        var ratios = axes.Select((k, i) => (double)sizes[i] / x[k].Value!.Value).ToArray();
        var scale = policy == "not_larger" ? ratios.Min() : ratios.Max();
        foreach (var k in axes)
            dims[k] = Dim.Of((long)Math.Round(scale * x[k].Value!.Value, MidpointRounding.ToEven));
    }

    static float[]? Floats(TensorData? tensor) => tensor switch
    {
        { ElementType: ElementType.Float, ElementCount: > 0 } => tensor.ToArray<float>(),
        { ElementType: ElementType.Double, ElementCount: > 0 } => [.. tensor.ToArray<double>().Select(d => (float)d)],
        _ => null,
    };
}
