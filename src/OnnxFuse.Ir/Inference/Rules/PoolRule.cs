using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;

namespace OnnxFuse.Ir.Inference.Rules;

/// <summary>
/// MaxPool, AveragePool, LpPool: [N, C, D1…Dn] → [N, C, o1…on] with <see cref="WindowGeometry"/> (honouring
/// <c>ceil_mode</c>); MaxPool's optional Indices output is int64 of the same shape.
/// GlobalAveragePool, GlobalMaxPool, GlobalLpPool: every spatial dim becomes 1.
/// </summary>
sealed class PoolRule : IShapeRule
{
    public static PoolRule Instance { get; } = new();

    public void Infer(InferenceContext context)
    {
        var elementType = context.InputElementType(0);
        var x = context.InputShape(0);
        if (x is null || x.Rank < 2)
        {
            context.SetOutput(0, elementType, null);
            return;
        }
        if (context.Node.OpType.StartsWith("Global", StringComparison.Ordinal))
        {
            context.SetOutput(0, elementType, new Shape([x[0], x[1], .. Enumerable.Repeat(Dim.Of(1), x.Rank - 2)]));
            return;
        }
        var kernel = context.Ints("kernel_shape");
        if (kernel is null || kernel.Count != x.Rank - 2)
        {
            context.Invalid($"kernel_shape does not fit input {x}");
            return;
        }
        var output = new Shape([x[0], x[1], .. WindowGeometry.OutputSizes(context, x, kernel, context.Int("ceil_mode", 0) != 0)]);
        context.SetOutput(0, elementType, output);
        context.SetOutput(1, ElementType.Int64, output);
    }
}
