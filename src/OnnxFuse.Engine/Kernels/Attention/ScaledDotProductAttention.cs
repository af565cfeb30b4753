using System.Runtime.CompilerServices;
using OnnxFuse.Engine.Kernels.Gemm;
using OnnxFuse.Engine.Kernels.Threading;

namespace OnnxFuse.Engine.Kernels.Attention;

/// <summary>
/// The per-head core that com.microsoft Attention and MultiHeadAttention share (shapes and layouts in
/// <see cref="AttentionParameters"/>). For each batch entry b and head h:
/// <code>
/// scores[S × L] = Scale · Q_bh · K_bhᵀ + mask_b + bias_bh
/// P             = softmax(scores) per row, max subtracted first; a causal row i sees keys 0..i only
///                 (see <see cref="AttentionParameters.Causal"/>)
/// O_bh[S × H_v] = P · V_bh, written in place into the output's [B, S, N·H_v] rows
/// </code>
/// Both products run on <see cref="GemmKernel"/> with leading dimensions, so Q, K, V and the output are read and
/// written where they lie (no per-head transposes). Work items are (batch, head, block of query rows); each thread
/// keeps its own score block, so a steady-state run allocates nothing but the fork's job object.
/// </summary>
public static class ScaledDotProductAttention
{
    /// <summary>Below this many multiply-adds a call runs on one thread: the fork/join would cost more than it saves.</summary>
    const long ParallelThreshold = 1L << 17;

    /// <summary>Largest score block a work item keeps (floats): 256 KiB, so long keys split the query rows instead.</summary>
    const int ScoreBlockBudget = 1 << 16;

    /// <summary>Fewest query rows a block gets when rows are split only to feed more threads.</summary>
    const int MinimumBlockRows = 16;

    [ThreadStatic]
    static float[]? s_scores;

    /// <summary>
    /// Runs attention over all batch entries and heads. <paramref name="mask"/> and <paramref name="bias"/> are
    /// additive float scores (empty for none); <paramref name="query"/>, <paramref name="key"/> and
    /// <paramref name="value"/> may be the same buffer.
    /// </summary>
    public static unsafe void Run(ReadOnlySpan<float> query, ReadOnlySpan<float> key, ReadOnlySpan<float> value, ReadOnlySpan<float> mask,
        ReadOnlySpan<float> bias, in AttentionParameters p, Span<float> output)
    {
        p.Validate(query.Length, key.Length, value.Length, mask.Length, bias.Length, output.Length);
        var heads = p.BatchCount * p.HeadCount;
        if (heads == 0 || p.QueryLength == 0 || p.ValueHeadSize == 0)
            return;
        var work = p.ScoreCount * (p.HeadSize + p.ValueHeadSize);
        var threads = work < ParallelThreshold ? 1 : KernelThreadPool.UsableThreads(p.ThreadCount);
        var rowsPerBlock = RowsPerBlock(p, threads, heads);
        var blocksPerHead = (p.QueryLength + rowsPerBlock - 1) / rowsPerBlock;
        var items = heads * blocksPerHead;
        var parts = Math.Min(threads, items);
        fixed (float* q = query, k = key, v = value, m = mask, b = bias, o = output)
        {
            var operands = new Operands(q, k, v, mask.IsEmpty ? null : m, bias.IsEmpty ? null : b, o, p, rowsPerBlock, blocksPerHead);
            if (parts <= 1)
            {
                RunItems(operands, 0, items);
                return;
            }
            var job = new BlockJob(operands, items, parts);
            if (!KernelThreadPool.Shared.TryRun(job, parts))
                RunItems(operands, 0, items);
        }
    }

    /// <summary>
    /// Query rows per work item: the whole head when its scores fit <see cref="ScoreBlockBudget"/> and there are at
    /// least as many heads as threads; fewer rows for long keys, or to give every thread work when heads are few.
    /// </summary>
    static int RowsPerBlock(in AttentionParameters p, int threads, int heads)
    {
        var rows = Math.Min(p.QueryLength, Math.Max(1, ScoreBlockBudget / Math.Max(1, p.KeyLength)));
        if (threads <= heads)
            return rows;
        var splitsPerHead = (threads + heads - 1) / heads;
        var evenShare = (p.QueryLength + splitsPerHead - 1) / splitsPerHead;
        return Math.Min(rows, Math.Max(Math.Min(MinimumBlockRows, p.QueryLength), evenShare));
    }

    static void RunItems(in Operands o, int first, int last)
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
    static unsafe void RunBlock(in Operands o, int head, int rowStart, int rowCount)
    {
        var p = o.Parameters;
        var (batch, h) = (head / p.HeadCount, head % p.HeadCount);
        var keyLength = p.KeyLength;
        var scores = Scratch(rowCount * keyLength);
        var q = o.Query + p.Query.Offset + (nint)batch * p.Query.BatchStride + (nint)rowStart * p.Query.RowStride + (nint)h * p.HeadSize;
        var k = o.Key + p.Key.Offset + (nint)batch * p.Key.BatchStride + (nint)h * p.HeadSize;
        var v = o.Value + p.Value.Offset + (nint)batch * p.Value.BatchStride + (nint)h * p.ValueHeadSize;
        var y = o.Output + p.Output.Offset + (nint)batch * p.Output.BatchStride + (nint)rowStart * p.Output.RowStride
            + (nint)h * p.ValueHeadSize;

        var product = new GemmParameters(rowCount, keyLength, p.HeadSize)
        {
            TransposeB = true,
            LeadingA = p.Query.RowStride,
            LeadingB = p.Key.RowStride,
            Alpha = p.Scale,
        };
        GemmKernel.Run(Rows(q, rowCount, p.Query.RowStride, p.HeadSize), Rows(k, keyLength, p.Key.RowStride, p.HeadSize), [], product, scores);

        if (keyLength > 0)
        {
            for (var r = 0; r < rowCount; r++)
            {
                var i = rowStart + r;
                var row = scores.Slice(r * keyLength, keyLength);
                // Keys a causal row may not see weigh exactly 0 after softmax, so they are left out of it altogether.
                var visible = p.IsCausalRow(i) ? Math.Min(i + 1, keyLength) : keyLength;
                var scored = row[..visible];
                var mask = o.Mask == null
                    ? default
                    : new ReadOnlySpan<float>(o.Mask + (nint)batch * p.MaskBatchStride + (nint)i * p.MaskRowStride, visible);
                var bias = o.Bias == null
                    ? default
                    : new ReadOnlySpan<float>(o.Bias + (nint)batch * p.BiasBatchStride + (nint)h * p.BiasHeadStride + (nint)i * keyLength, visible);
                AttentionSoftmax.Run(scored, mask, bias);
                row[visible..].Clear();
            }
        }

        var mix = new GemmParameters(rowCount, p.ValueHeadSize, keyLength) { LeadingB = p.Value.RowStride, LeadingC = p.Output.RowStride };
        GemmKernel.Run(scores, Rows(v, keyLength, p.Value.RowStride, p.ValueHeadSize), [], mix,
            new Span<float>(y, (int)Math.Max(0, (long)(rowCount - 1) * p.Output.RowStride + p.ValueHeadSize)));
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

    /// <summary>Pinned operands of one call, shared with the worker threads.</summary>
    unsafe readonly struct Operands(float* query, float* key, float* value, float* mask, float* bias, float* output,
        AttentionParameters parameters, int rowsPerBlock, int blocksPerHead)
    {
        public float* Query { get; } = query;
        public float* Key { get; } = key;
        public float* Value { get; } = value;
        public float* Mask { get; } = mask;
        public float* Bias { get; } = bias;
        public float* Output { get; } = output;
        public AttentionParameters Parameters { get; } = parameters;
        public int RowsPerBlock { get; } = rowsPerBlock;
        public int BlocksPerHead { get; } = blocksPerHead;
    }

    /// <summary>A contiguous range of (batch, head, row block) items per index.</summary>
    sealed class BlockJob(Operands operands, int items, int parts) : IParallelWork
    {
        public void Execute(int index)
        {
            var (start, end) = EvenSplit.Range(items, index, parts);
            RunItems(operands, start, end);
        }
    }
}
