using OnnxFuse.Ir.Types;

namespace OnnxFuse.Ir.Inference.Rules;

/// <summary>
/// Conv (and com.microsoft FusedConv, ConvInteger): X [N, C, D1…Dn] and W [M, C/group, k1…kn] give
/// Y [N, M, o1…on] with the window sizes of <see cref="WindowGeometry"/>. ConvInteger outputs int32.
/// </summary>
sealed class ConvRule : IShapeRule
{
    public static ConvRule Instance { get; } = new();

    public void Infer(InferenceContext context)
    {
        var elementType = context.Node.OpType == "ConvInteger" ? Tensors.ElementType.Int32 : context.InputElementType(0);
        var x = context.InputShape(0);
        var w = context.InputShape(1);
        if (x is null || x.Rank < 3)
        {
            context.SetOutput(0, elementType, w is null ? null : new Shape(w.Select(_ => Dim.Unknown)));
            return;
        }
        var spatial = x.Rank - 2;
        var kernel = context.Ints("kernel_shape")?.ToArray()
            ?? (w is not null && w.Skip(2).All(d => d.IsKnown) ? [.. w.Skip(2).Select(d => d.Value!.Value)] : null);
        var outChannels = w is not null ? w[0] : Dim.Unknown;
        if (w is not null && w[1].IsKnown && x[1].IsKnown && w[1].Value * context.Int("group", 1) != x[1].Value)
            context.Invalid($"input {x} has {x[1]} channels but weights {w} with group {context.Int("group", 1)} expect {w[1].Value * context.Int("group", 1)}");
        if (kernel is null || kernel.Length != spatial)
        {
            context.SetOutput(0, elementType, new Shape([x[0], outChannels, .. Enumerable.Repeat(Dim.Unknown, spatial)]));
            context.Unknown("kernel shape is unknown");
            return;
        }
        context.SetOutput(0, elementType, new Shape([x[0], outChannels, .. WindowGeometry.OutputSizes(context, x, kernel, ceilMode: false)]));
    }
}
