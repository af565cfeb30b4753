using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;

namespace OnnxFuse.Ir.Inference.Rules;

/// <summary>
/// MatMul with numpy semantics: 1-D operands get a 1 prepended (A) or appended (B) that is dropped again,
/// batch dims broadcast, [.., M, K] × [.., K, N] → [.., M, N]. MatMulInteger outputs int32;
/// com.microsoft FusedMatMul transposes the last two dims of A or B per <c>transA</c>/<c>transB</c>.
/// </summary>
sealed class MatMulRule : IShapeRule
{
    public static MatMulRule Instance { get; } = new();

    public void Infer(InferenceContext context)
    {
        var elementType = context.Node.OpType == "MatMulInteger" ? ElementType.Int32 : context.InputElementType(0);
        var a = context.InputShape(0);
        var b = context.InputShape(1);
        if (a is null || b is null)
        {
            context.SetOutput(0, elementType, null);
            return;
        }
        if (a.Rank == 0 || b.Rank == 0)
        {
            context.Invalid("MatMul operands must not be scalars");
            return;
        }
        if (context.Int("transA", 0) != 0 && a.Rank >= 2)
            a = SwapLast(a);
        if (context.Int("transB", 0) != 0 && b.Rank >= 2)
            b = SwapLast(b);
        context.SetOutput(0, elementType, Multiply(context, a, b));
    }

    /// <summary>The product's shape, reporting mismatched inner dims.</summary>
    public static Shape? Multiply(InferenceContext context, Shape a, Shape b)
    {
        var left = a.Rank == 1 ? new Shape([Dim.Of(1), a[0]]) : a;
        var right = b.Rank == 1 ? new Shape([b[0], Dim.Of(1)]) : b;
        var inner = left[^1];
        var innerRight = right[^2];
        if (inner.IsKnown && innerRight.IsKnown && inner.Value != innerRight.Value)
            context.Invalid($"inner dims differ: {a} × {b}");
        var batch = Broadcasting.Shapes([new Shape(left.Take(left.Rank - 2)), new Shape(right.Take(right.Rank - 2))], out var error);
        if (batch is null)
        {
            context.Invalid(error!);
            return null;
        }
        var dims = batch.ToList();
        if (a.Rank > 1)
            dims.Add(left[^2]);
        if (b.Rank > 1)
            dims.Add(right[^1]);
        return new Shape(dims);
    }

    static Shape SwapLast(Shape shape)
    {
        var dims = shape.ToArray();
        (dims[^1], dims[^2]) = (dims[^2], dims[^1]);
        return new Shape(dims);
    }
}
