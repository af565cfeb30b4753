using OnnxFuse.Engine.Kernels.Threading;
using OnnxFuse.Ir.Errors;

namespace OnnxFuse.Engine.Kernels.Gemm;

/// <summary>
/// Checks, pins and partitions a GEMM call for a blocked microkernel. With several threads, C is cut into
/// contiguous slabs along the larger of rows and columns (in whole tiles), each slab running the full loop nest
/// with its own packing buffers: no barriers, and only one fork/join per call.
/// </summary>
static class GemmDriver
{
    /// <summary>Below this many multiply-adds a call runs on one thread: the fork/join would cost more than it saves.</summary>
    internal const long ParallelThreshold = 1L << 19;

    /// <summary>
    /// Below this many multiply-adds a one-row product runs on one thread. It streams B from memory at about one
    /// multiply-add per float read, so it pays for a fork far sooner than the compute-bound tiles do.
    /// </summary>
    internal const long RowVectorParallelThreshold = 1L << 16;

    /// <summary>Benchmarks only: fork with <see cref="Parallel.For(int, int, Action{int})"/> instead of <see cref="KernelThreadPool"/>.</summary>
    internal static bool UseParallelFor { get; set; }

    public static unsafe void Run<TMicro>(ReadOnlySpan<float> a, PackedMatrix? packedA, ReadOnlySpan<float> b, PackedMatrix? packedB,
        ReadOnlySpan<float> bias, in GemmParameters p, GemmVariant variant, Span<float> c)
        where TMicro : struct, IGemmMicroKernel
    {
        Validate(a, packedA, b, packedB, bias, p, variant, c);
        if (p.RowCount == 0 || p.ColumnCount == 0)
            return;
        fixed (float* pa = a, pb = b, pc = c, pbias = bias)
        {
            var o = new GemmOperands { A = pa, B = pb, C = pc, Bias = pbias, PackedA = packedA, PackedB = packedB, Parameters = p };
            Execute<TMicro>(o, p.ThreadCount);
        }
    }

    public static unsafe void RunStridedBatch<TMicro>(ReadOnlySpan<float> a, ReadOnlySpan<float> b, PackedMatrix? packedB,
        ReadOnlySpan<float> bias, in GemmParameters p, GemmBatch batch, GemmVariant variant, Span<float> c)
        where TMicro : struct, IGemmMicroKernel
    {
        batch.Validate();
        var (batchCount, strideA, strideB, strideC) = batch;
        if (batchCount == 0 || p.RowCount == 0 || p.ColumnCount == 0)
            return;
        var last = batchCount - 1;
        Validate(a[(int)(strideA * last)..], null, packedB is null ? b[(int)(strideB * last)..] : b, packedB, bias, p, variant, c[(int)(strideC * last)..]);
        fixed (float* pa = a, pb = b, pc = c, pbias = bias)
        {
            var o = new GemmOperands { A = pa, B = pb, C = pc, Bias = pbias, PackedB = packedB, Parameters = p };
            var threads = KernelThreadPool.UsableThreads(p.ThreadCount);
            if (threads > 1 && batchCount >= threads)
            {
                var job = new BatchJob<TMicro>(o, strideA, strideB, strideC, batchCount, threads);
                if (!TryFork(job, threads))
                    job.RunAll();
                return;
            }
            for (var i = 0; i < batchCount; i++)
                Execute<TMicro>(o.AtBatch(i, strideA, strideB, strideC), p.ThreadCount);
        }
    }

    static void Execute<TMicro>(in GemmOperands o, int threadCount)
        where TMicro : struct, IGemmMicroKernel
    {
        var p = o.Parameters;
        if (p.Depth == 0)
        {
            GemmEpilogue.EmptyProduct(o);
            return;
        }
        var work = (long)p.RowCount * p.ColumnCount * p.Depth;
        var threads = KernelThreadPool.UsableThreads(threadCount);
        if (GemmRowVector.Applies(o))
        {
            var strips = (p.ColumnCount + GemmRowVector.StripWidth - 1) / GemmRowVector.StripWidth;
            var parts = Math.Min(threads, strips);
            if (parts <= 1 || work < RowVectorParallelThreshold || !TryFork(new RowVectorJob(o, strips, parts), parts))
                GemmRowVector.Run(o, 0, p.ColumnCount);
            return;
        }
        var splitColumns = p.ColumnCount >= p.RowCount;
        var units = splitColumns
            ? (p.ColumnCount + TMicro.ColumnTile - 1) / TMicro.ColumnTile
            : (p.RowCount + TMicro.RowTile - 1) / TMicro.RowTile;
        threads = Math.Min(threads, units);
        if (threads <= 1 || work < ParallelThreshold)
        {
            GemmBlocked<TMicro>.Run(o, 0, p.RowCount, 0, p.ColumnCount);
            return;
        }
        var job = new SlabJob<TMicro>(o, splitColumns, units, threads);
        if (!TryFork(job, threads))
            GemmBlocked<TMicro>.Run(o, 0, p.RowCount, 0, p.ColumnCount);
    }

    static bool TryFork(IParallelWork job, int count)
    {
        if (!UseParallelFor)
            return KernelThreadPool.Shared.TryRun(job, count);
        Parallel.For(0, count, job.Execute);
        return true;
    }

    static void Validate(ReadOnlySpan<float> a, PackedMatrix? packedA, ReadOnlySpan<float> b, PackedMatrix? packedB,
        ReadOnlySpan<float> bias, in GemmParameters p, GemmVariant variant, Span<float> c)
    {
        GemmChecks.Dimensions(p);
        if (packedA is null)
            GemmChecks.A(p, a.Length);
        else
            CheckPacked(packedA, PackedOperand.A, p.RowCount, p.Depth, variant);
        if (packedB is null)
            GemmChecks.B(p, b.Length);
        else
            CheckPacked(packedB, PackedOperand.B, p.ColumnCount, p.Depth, variant);
        GemmChecks.C(p, c.Length);
        GemmChecks.Bias(p, bias.Length);
    }

    internal static void CheckPacked(PackedMatrix packed, PackedOperand operand, int outerCount, int depth, GemmVariant variant)
    {
        if (packed.Operand != operand || packed.Variant != variant || packed.OuterCount != outerCount || packed.Depth != depth)
        {
            Throw.ShapeMismatch($"Packed GEMM operand is {packed.Operand} {packed.OuterCount}×{packed.Depth} for {packed.Variant}; "
                + $"the call needs {operand} {outerCount}×{depth} for {variant}.");
        }
    }

    /// <summary>One contiguous slab of C per index, in whole tiles.</summary>
    sealed class SlabJob<TMicro>(GemmOperands operands, bool splitColumns, int units, int parts) : IParallelWork
        where TMicro : struct, IGemmMicroKernel
    {
        public void Execute(int index)
        {
            var p = operands.Parameters;
            var tile = splitColumns ? TMicro.ColumnTile : TMicro.RowTile;
            var extent = splitColumns ? p.ColumnCount : p.RowCount;
            var (start, end) = EvenSplit.TileRange(units, tile, extent, index, parts);
            if (start >= end)
                return;
            if (splitColumns)
                GemmBlocked<TMicro>.Run(operands, 0, p.RowCount, start, end);
            else
                GemmBlocked<TMicro>.Run(operands, start, end, 0, p.ColumnCount);
        }
    }

    /// <summary>A contiguous range of 16-column strips of a one-row product per index.</summary>
    sealed class RowVectorJob(GemmOperands operands, int strips, int parts) : IParallelWork
    {
        public void Execute(int index)
        {
            var (start, end) = EvenSplit.TileRange(strips, GemmRowVector.StripWidth, operands.Parameters.ColumnCount, index, parts);
            if (start < end)
                GemmRowVector.Run(operands, start, end);
        }
    }

    /// <summary>A contiguous range of batch entries per index, each entry on one thread.</summary>
    sealed class BatchJob<TMicro>(GemmOperands operands, long strideA, long strideB, long strideC, int batchCount, int parts) : IParallelWork
        where TMicro : struct, IGemmMicroKernel
    {
        public void Execute(int index)
        {
            var (start, end) = EvenSplit.Range(batchCount, index, parts);
            for (var i = start; i < end; i++)
                Execute<TMicro>(operands.AtBatch(i, strideA, strideB, strideC), 1);
        }

        public void RunAll()
        {
            for (var i = 0; i < batchCount; i++)
                Execute<TMicro>(operands.AtBatch(i, strideA, strideB, strideC), 1);
        }
    }
}
