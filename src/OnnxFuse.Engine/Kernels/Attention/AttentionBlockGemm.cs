using System.Runtime.CompilerServices;
using OnnxFuse.Engine.Kernels.Gemm;

namespace OnnxFuse.Engine.Kernels.Attention;

/// <summary>
/// The portable attention core on <see cref="GemmKernel"/> (any SIMD width, scalar included): per work item, the
/// block's scores = Scale · Q·Kᵀ as one GEMM with leading dimensions, the masked softmax row by row, then P·V as a
/// second GEMM written in place into the output's rows. Each GEMM packs its operands again, which at head sizes of
/// 64 costs about a third of the product; <see cref="AttentionTilesVector256"/> avoids that where Vector256 runs.
/// </summary>
static class AttentionBlockGemm
{
    /// <summary>Largest score block a work item keeps (floats): 256 KiB, so long keys split the query rows instead.</summary>
    public const int ScoreBlockBudget = 1 << 16;

    [ThreadStatic]
    static float[]? s_scores;

    public static void RunItems(in AttentionOperands o, int first, int last)
    {
        for (var item = first; item < last; item++)
        {
            var head = item / o.BlocksPerHead;
            var rowStart = item % o.BlocksPerHead * o.RowsPerBlock;
            RunBlock(o, head, rowStart, Math.Min(o.RowsPerBlock, o.Parameters.QueryLength - rowStart));
        }
    }

    /// <summary>Query rows [rowStart, rowStart + rowCount) of one (batch, head) pair, <paramref name="head"/> = b·N + h.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static unsafe void RunBlock(in AttentionOperands o, int head, int rowStart, int rowCount)
    {
        var p = o.Parameters;
        var keyLength = p.KeyLength;
        var scores = Scratch(rowCount * keyLength);

        var product = new GemmParameters(rowCount, keyLength, p.HeadSize)
        {
            TransposeB = true,
            LeadingA = p.Query.RowStride,
            LeadingB = p.Key.RowStride,
            Alpha = p.Scale,
        };
        GemmKernel.Run(Rows(o.QueryRow(head, rowStart), rowCount, p.Query.RowStride, p.HeadSize), Rows(o.KeyRows(head), keyLength, p.Key.RowStride, p.HeadSize),
            [], product, scores);

        if (keyLength > 0)
        {
            for (var r = 0; r < rowCount; r++)
            {
                var i = rowStart + r;
                var row = scores.Slice(r * keyLength, keyLength);
                // Keys a causal row may not see weigh exactly 0 after softmax, so they are left out of it altogether.
                var visible = o.VisibleKeys(i);
                AttentionSoftmax.Run(row[..visible], o.MaskRow(head, i, visible), o.BiasRow(head, i, visible));
                row[visible..].Clear();
            }
        }

        var mix = new GemmParameters(rowCount, p.ValueHeadSize, keyLength) { LeadingB = p.Value.RowStride, LeadingC = p.Output.RowStride };
        GemmKernel.Run(scores, Rows(o.ValueRows(head), keyLength, p.Value.RowStride, p.ValueHeadSize), [], mix,
            new Span<float>(o.OutputRow(head, rowStart), (int)Math.Max(0, (long)(rowCount - 1) * p.Output.RowStride + p.ValueHeadSize)));
    }

    /// <summary><paramref name="rowCount"/> rows of <paramref name="width"/> values, <paramref name="stride"/> apart.</summary>
    static unsafe ReadOnlySpan<float> Rows(float* start, int rowCount, int stride, int width) =>
        rowCount == 0 || width == 0 ? [] : new ReadOnlySpan<float>(start, (int)((long)(rowCount - 1) * stride + width));

    static Span<float> Scratch(int length)
    {
        if (s_scores is null || s_scores.Length < length)
            s_scores = GC.AllocateUninitializedArray<float>(Math.Max(length, 1024));
        return s_scores.AsSpan(0, length);
    }
}
