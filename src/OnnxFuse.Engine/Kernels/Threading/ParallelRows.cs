namespace OnnxFuse.Engine.Kernels.Threading;

/// <summary>A row-wise kernel's work over rows [firstRow, endRow); rows are independent of each other.</summary>
interface IRowWork
{
    void Run(int firstRow, int endRow);
}

/// <summary>
/// Splits the rows of a row-wise kernel (normalizations, biased activations) into one contiguous range per thread
/// on <see cref="KernelThreadPool.Shared"/>. Calls too small to repay the fork/join run on the caller alone.
/// </summary>
static class ParallelRows
{
    /// <summary>Fewest values a thread gets: below about 8K floats (a few µs of work) the fork/join costs more than it saves.</summary>
    const long MinimumValuesPerThread = 1 << 13;

    /// <summary>Runs <paramref name="work"/> over rows [0, <paramref name="rowCount"/>) on up to <paramref name="threadCount"/> threads.</summary>
    public static void Run<TWork>(TWork work, int rowCount, int rowSize, int threadCount) where TWork : IRowWork
    {
        var parts = Parts(rowCount, rowSize, threadCount);
        if (parts <= 1 || !KernelThreadPool.Shared.TryRun(new RowJob<TWork>(work, rowCount, parts), parts))
            work.Run(0, rowCount);
    }

    /// <summary>Threads worth using: what the pool allows, no more than the rows, and at least 8K values each.</summary>
    static int Parts(int rowCount, int rowSize, int threadCount)
    {
        if (threadCount <= 1 || rowCount <= 1)
            return 1;
        var byWork = (long)rowCount * rowSize / MinimumValuesPerThread;
        return (int)Math.Max(1, Math.Min(KernelThreadPool.UsableThreads(threadCount), Math.Min(rowCount, byWork)));
    }

    sealed class RowJob<TWork>(TWork work, int rowCount, int parts) : IParallelWork where TWork : IRowWork
    {
        public void Execute(int index)
        {
            var (start, end) = EvenSplit.Range(rowCount, index, parts);
            work.Run(start, end);
        }
    }
}
