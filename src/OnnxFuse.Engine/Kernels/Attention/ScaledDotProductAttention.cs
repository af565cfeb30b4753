using OnnxFuse.Engine.Kernels.Threading;
using OnnxFuse.Engine.Simd;

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
/// Q, K, V and the output are read and written where they lie (no per-head transposes). Work items are (batch, head,
/// block of query rows), run by <see cref="AttentionTilesVector256"/> where Vector256 runs and one head's packed
/// K and V fit its budget, else by <see cref="AttentionBlockGemm"/>. Each thread keeps its own scratch, so a
/// steady-state run allocates nothing but the fork's job object.
/// </summary>
public static class ScaledDotProductAttention
{
    /// <summary>Below this many multiply-adds a call runs on one thread: the fork/join would cost more than it saves.</summary>
    const long ParallelThreshold = 1L << 17;

    /// <summary>Fewest query rows a block gets when rows are split only to feed more threads.</summary>
    const int MinimumBlockRows = 16;

    /// <summary>
    /// Runs attention over all batch entries and heads. <paramref name="mask"/> and <paramref name="bias"/> are
    /// additive float scores (empty for none); <paramref name="query"/>, <paramref name="key"/> and
    /// <paramref name="value"/> may be the same buffer.
    /// </summary>
    public static void Run(ReadOnlySpan<float> query, ReadOnlySpan<float> key, ReadOnlySpan<float> value, ReadOnlySpan<float> mask,
        ReadOnlySpan<float> bias, in AttentionParameters p, Span<float> output) =>
        Run(query, key, value, mask, bias, p, SimdCapability.Width, output);

    /// <summary>
    /// As <see cref="Run(ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, ReadOnlySpan{float}, in AttentionParameters, Span{float})"/>
    /// with an explicit width cap: below <see cref="SimdWidth.Vector256"/> the <see cref="AttentionBlockGemm"/> path
    /// (tests and benchmarks compare the two).
    /// </summary>
    internal static unsafe void Run(ReadOnlySpan<float> query, ReadOnlySpan<float> key, ReadOnlySpan<float> value, ReadOnlySpan<float> mask,
        ReadOnlySpan<float> bias, in AttentionParameters p, SimdWidth width, Span<float> output)
    {
        p.Validate(query.Length, key.Length, value.Length, mask.Length, bias.Length, output.Length);
        var heads = p.BatchCount * p.HeadCount;
        if (heads == 0 || p.QueryLength == 0 || p.ValueHeadSize == 0)
            return;
        var tiles = width >= SimdWidth.Vector256 && AttentionTilesVector256.Applies(p);
        var work = p.ScoreCount * (p.HeadSize + p.ValueHeadSize);
        var threads = work < ParallelThreshold ? 1 : KernelThreadPool.UsableThreads(p.ThreadCount);
        var rowsPerBlock = RowsPerBlock(p, tiles ? p.QueryLength : AttentionBlockGemm.ScoreBlockBudget / Math.Max(1, p.KeyLength), threads, heads);
        var blocksPerHead = (p.QueryLength + rowsPerBlock - 1) / rowsPerBlock;
        var items = heads * blocksPerHead;
        var parts = Math.Min(threads, items);
        fixed (float* q = query, k = key, v = value, m = mask, b = bias, o = output)
        {
            var operands = new AttentionOperands(q, k, v, mask.IsEmpty ? null : m, bias.IsEmpty ? null : b, o, p, rowsPerBlock, blocksPerHead);
            if (parts <= 1)
            {
                RunItems(operands, tiles, 0, items);
                return;
            }
            var job = new BlockJob(operands, tiles, items, parts);
            if (!KernelThreadPool.Shared.TryRun(job, parts))
                RunItems(operands, tiles, 0, items);
        }
    }

    /// <summary>
    /// Query rows per work item: the whole head, or <paramref name="rowLimit"/> when the path's scratch caps it, and
    /// fewer to give every thread work when heads are few.
    /// </summary>
    static int RowsPerBlock(in AttentionParameters p, int rowLimit, int threads, int heads)
    {
        var rows = Math.Min(p.QueryLength, Math.Max(1, rowLimit));
        if (threads <= heads)
            return rows;
        var splitsPerHead = (threads + heads - 1) / heads;
        var evenShare = (p.QueryLength + splitsPerHead - 1) / splitsPerHead;
        return Math.Min(rows, Math.Max(Math.Min(MinimumBlockRows, p.QueryLength), evenShare));
    }

    static void RunItems(in AttentionOperands o, bool tiles, int first, int last)
    {
        if (tiles)
            AttentionTilesVector256.RunItems(o, first, last);
        else
            AttentionBlockGemm.RunItems(o, first, last);
    }

    /// <summary>A contiguous range of (batch, head, row block) items per index.</summary>
    sealed class BlockJob(AttentionOperands operands, bool tiles, int items, int parts) : IParallelWork
    {
        public void Execute(int index)
        {
            var (start, end) = EvenSplit.Range(items, index, parts);
            RunItems(operands, tiles, start, end);
        }
    }
}
