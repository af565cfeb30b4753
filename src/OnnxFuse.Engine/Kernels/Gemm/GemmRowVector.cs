using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace OnnxFuse.Engine.Kernels.Gemm;

/// <summary>
/// The one-row product against a prepacked B, c[1 × N] = alpha · a[1 × K] · B + beta · c, then the epilogue: a single
/// token or a single MLP input, where the 6-row microkernel would spend five sixths of its work on padding rows.
/// Each 16-column strip of the packed B streams once through eight Vector256 accumulators (four depth steps at a
/// time, to cover the multiply-add latency).
/// </summary>
static class GemmRowVector
{
    internal const int StripWidth = 16;

    /// <summary>True for one contiguous row of op(A) against a B packed in 16-wide strips (the Vector256 layout).</summary>
    public static bool Applies(in GemmOperands o) =>
        o.Parameters.RowCount == 1 && o.PackedA is null && o.PackedB is { PanelWidth: StripWidth }
        && (!o.Parameters.TransposeA || o.Parameters.StrideA == 1);

    /// <summary>Columns [columnStart, columnEnd) of c, columnStart a multiple of 16 (several threads run disjoint ranges).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Run(in GemmOperands o, int columnStart, int columnEnd)
    {
        var p = o.Parameters;
        var packed = o.PackedB!;
        var a = o.A;
        var alpha = Vector256.Create(p.Alpha);
        var strip = stackalloc float[StripWidth];
        for (var column = columnStart; column < columnEnd; column += StripWidth)
        {
            Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
            Vector256<float> s4 = default, s5 = default, s6 = default, s7 = default;
            for (var depthStart = 0; depthStart < p.Depth; depthStart += packed.DepthBlock)
            {
                var depthCount = Math.Min(packed.DepthBlock, p.Depth - depthStart);
                var b = packed.Block(depthStart, depthCount, column);
                var x = a + depthStart;
                var k = 0;
                for (; k + 4 <= depthCount; k += 4, b += 4 * StripWidth)
                {
                    var x0 = Vector256.Create(x[k]);
                    var x1 = Vector256.Create(x[k + 1]);
                    var x2 = Vector256.Create(x[k + 2]);
                    var x3 = Vector256.Create(x[k + 3]);
                    s0 = Vector256.FusedMultiplyAdd(Vector256.Load(b), x0, s0);
                    s1 = Vector256.FusedMultiplyAdd(Vector256.Load(b + 8), x0, s1);
                    s2 = Vector256.FusedMultiplyAdd(Vector256.Load(b + 16), x1, s2);
                    s3 = Vector256.FusedMultiplyAdd(Vector256.Load(b + 24), x1, s3);
                    s4 = Vector256.FusedMultiplyAdd(Vector256.Load(b + 32), x2, s4);
                    s5 = Vector256.FusedMultiplyAdd(Vector256.Load(b + 40), x2, s5);
                    s6 = Vector256.FusedMultiplyAdd(Vector256.Load(b + 48), x3, s6);
                    s7 = Vector256.FusedMultiplyAdd(Vector256.Load(b + 56), x3, s7);
                }
                for (; k < depthCount; k++, b += StripWidth)
                {
                    var xk = Vector256.Create(x[k]);
                    s0 = Vector256.FusedMultiplyAdd(Vector256.Load(b), xk, s0);
                    s1 = Vector256.FusedMultiplyAdd(Vector256.Load(b + 8), xk, s1);
                }
            }
            ((s0 + s2 + s4 + s6) * alpha).Store(strip);
            ((s1 + s3 + s5 + s7) * alpha).Store(strip + 8);
            var c = o.C + column;
            var count = Math.Min(StripWidth, columnEnd - column);
            for (var j = 0; j < count; j++)
                c[j] = p.Beta == 0f ? strip[j] : strip[j] + p.Beta * c[j];
        }
        GemmEpilogue.Apply(o, 0, 1, columnStart, columnEnd - columnStart);
    }
}
