using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace OnnxFuse.Engine.Kernels.Gemm;

/// <summary>
/// The one-row product against a prepacked B, c[1 × N] = alpha · a[1 × K] · B + beta · c, then the epilogue: a single
/// token or a single MLP input, where the 6-row microkernel would spend five sixths of its work on padding rows.
/// B is only streamed (one multiply-add per float read), so the speed is how fast B arrives. Four 16-column strips
/// run side by side: four independent streams through memory keep more cache misses in flight than one (a cold
/// 1000 × 1280 B: 0.30 → 0.20 ms), and each broadcast of a[k] feeds eight multiply-adds, one per accumulator.
/// </summary>
static class GemmRowVector
{
    internal const int StripWidth = 16;

    /// <summary>Strips computed together: eight Vector256 accumulators plus the broadcast fit the 16 registers.</summary>
    const int GroupStrips = 4;

    /// <summary>True for one contiguous row of op(A) against a B packed in 16-wide strips (the Vector256 layout).</summary>
    public static bool Applies(in GemmOperands o) =>
        o.Parameters.RowCount == 1 && o.PackedA is null && o.PackedB is { PanelWidth: StripWidth }
        && (!o.Parameters.TransposeA || o.Parameters.StrideA == 1);

    /// <summary>Columns [columnStart, columnEnd) of c, columnStart a multiple of 16 (several threads run disjoint ranges).</summary>
    public static unsafe void Run(in GemmOperands o, int columnStart, int columnEnd)
    {
        var column = columnStart;
        // The last strip of a group may be partial: packed strips are zero-padded, and only real columns are stored.
        for (; column + (GroupStrips - 1) * StripWidth < columnEnd; column += GroupStrips * StripWidth)
            RunGroup(o, column, Math.Min(GroupStrips * StripWidth, columnEnd - column));
        for (; column < columnEnd; column += StripWidth)
            RunStrip(o, column, Math.Min(StripWidth, columnEnd - column));
        GemmEpilogue.Apply(o, 0, 1, columnStart, columnEnd - columnStart);
    }

    /// <summary>Four adjacent strips from <paramref name="column"/>: one depth step per iteration, eight accumulators.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static unsafe void RunGroup(in GemmOperands o, int column, int width)
    {
        var p = o.Parameters;
        var packed = o.PackedB!;
        Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
        Vector256<float> s4 = default, s5 = default, s6 = default, s7 = default;
        for (var depthStart = 0; depthStart < p.Depth; depthStart += packed.DepthBlock)
        {
            var depthCount = Math.Min(packed.DepthBlock, p.Depth - depthStart);
            // Strips of one depth block lie end to end, depthCount · 16 floats apart.
            var b0 = packed.Block(depthStart, depthCount, column);
            var b1 = b0 + (nint)StripWidth * depthCount;
            var b2 = b1 + (nint)StripWidth * depthCount;
            var b3 = b2 + (nint)StripWidth * depthCount;
            var x = o.A + depthStart;
            for (var k = 0; k < depthCount; k++, b0 += StripWidth, b1 += StripWidth, b2 += StripWidth, b3 += StripWidth)
            {
                var xk = Vector256.Create(x[k]);
                s0 = Vector256.FusedMultiplyAdd(Vector256.Load(b0), xk, s0);
                s1 = Vector256.FusedMultiplyAdd(Vector256.Load(b0 + 8), xk, s1);
                s2 = Vector256.FusedMultiplyAdd(Vector256.Load(b1), xk, s2);
                s3 = Vector256.FusedMultiplyAdd(Vector256.Load(b1 + 8), xk, s3);
                s4 = Vector256.FusedMultiplyAdd(Vector256.Load(b2), xk, s4);
                s5 = Vector256.FusedMultiplyAdd(Vector256.Load(b2 + 8), xk, s5);
                s6 = Vector256.FusedMultiplyAdd(Vector256.Load(b3), xk, s6);
                s7 = Vector256.FusedMultiplyAdd(Vector256.Load(b3 + 8), xk, s7);
            }
        }
        var alpha = Vector256.Create(p.Alpha);
        var sums = stackalloc float[GroupStrips * StripWidth];
        (s0 * alpha).Store(sums);
        (s1 * alpha).Store(sums + 8);
        (s2 * alpha).Store(sums + 16);
        (s3 * alpha).Store(sums + 24);
        (s4 * alpha).Store(sums + 32);
        (s5 * alpha).Store(sums + 40);
        (s6 * alpha).Store(sums + 48);
        (s7 * alpha).Store(sums + 56);
        Store(sums, p.Beta, o.C + column, width);
    }

    /// <summary>One strip: eight accumulators over four depth steps at a time, to cover the multiply-add latency.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static unsafe void RunStrip(in GemmOperands o, int column, int width)
    {
        var p = o.Parameters;
        var packed = o.PackedB!;
        Vector256<float> s0 = default, s1 = default, s2 = default, s3 = default;
        Vector256<float> s4 = default, s5 = default, s6 = default, s7 = default;
        for (var depthStart = 0; depthStart < p.Depth; depthStart += packed.DepthBlock)
        {
            var depthCount = Math.Min(packed.DepthBlock, p.Depth - depthStart);
            var b = packed.Block(depthStart, depthCount, column);
            var x = o.A + depthStart;
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
        var alpha = Vector256.Create(p.Alpha);
        var sums = stackalloc float[StripWidth];
        ((s0 + s2 + s4 + s6) * alpha).Store(sums);
        ((s1 + s3 + s5 + s7) * alpha).Store(sums + 8);
        Store(sums, p.Beta, o.C + column, width);
    }

    /// <summary>c = sums + beta · c for the <paramref name="width"/> real columns; beta = 0 never reads c (it may hold NaN).</summary>
    static unsafe void Store(float* sums, float beta, float* c, int width)
    {
        for (var j = 0; j < width; j++)
            c[j] = beta == 0f ? sums[j] : sums[j] + beta * c[j];
    }
}
