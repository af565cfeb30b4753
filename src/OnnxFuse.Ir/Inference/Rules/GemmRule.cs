using OnnxFuse.Ir.Types;

namespace OnnxFuse.Ir.Inference.Rules;

/// <summary>
/// Gemm (and com.microsoft FusedGemm): Y = α·op(A)·op(B) + β·C with op = transpose per <c>transA</c>/<c>transB</c>;
/// A [M, K] (or [K, M]), B [K, N] (or [N, K]) → Y [M, N].
/// </summary>
sealed class GemmRule : IShapeRule
{
    public static GemmRule Instance { get; } = new();

    public void Infer(InferenceContext context)
    {
        var elementType = context.InputElementType(0);
        var a = context.InputShape(0);
        var b = context.InputShape(1);
        if (a is not { Rank: 2 } || b is not { Rank: 2 })
        {
            if (a is not null && a.Rank != 2 || b is not null && b.Rank != 2)
                context.Invalid($"Gemm needs 2-D operands, got {a} and {b}");
            context.SetOutput(0, elementType, new Shape([Dim.Unknown, Dim.Unknown]));
            return;
        }
        var transA = context.Int("transA", 0) != 0;
        var transB = context.Int("transB", 0) != 0;
        var (rows, innerA) = transA ? (a[1], a[0]) : (a[0], a[1]);
        var (innerB, columns) = transB ? (b[1], b[0]) : (b[0], b[1]);
        if (innerA.IsKnown && innerB.IsKnown && innerA.Value != innerB.Value)
            context.Invalid($"inner dims differ: {a} × {b} (transA={transA}, transB={transB})");
        context.SetOutput(0, elementType, new Shape([rows, columns]));
    }
}
