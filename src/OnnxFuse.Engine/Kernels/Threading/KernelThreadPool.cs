using System.Diagnostics.CodeAnalysis;

namespace OnnxFuse.Engine.Kernels.Threading;

/// <summary>One piece of a parallel kernel call; <see cref="Execute"/> runs once per index.</summary>
interface IParallelWork
{
    void Execute(int index);
}

/// <summary>
/// A small pool of dedicated worker threads for intra-op parallelism with a low fork/join cost: workers spin
/// briefly after each call (so back-to-back kernels in one inference skip the OS wake-up), then sleep on an
/// event. Work items are claimed with one compare-exchange on a (generation, next index) word, so a slow worker
/// can never claim an item of a later call. One call runs at a time; a concurrent or nested caller gets
/// <c>false</c> from <see cref="TryRun"/> and runs its work inline.
/// </summary>
sealed class KernelThreadPool
{
    const int SpinIterations = 2_000;

    readonly Worker[] _workers;
    long _state;
    int _count;
    int _remaining;
    int _busy;
    IParallelWork? _work;
    Exception? _error;

    internal KernelThreadPool(int workerCount)
    {
        _workers = new Worker[workerCount];
        for (var i = 0; i < workerCount; i++)
            _workers[i] = new Worker(this, i);
    }

    /// <summary>Shared pool with one worker per processor beyond the caller's.</summary>
    public static KernelThreadPool Shared { get; } = new(Math.Max(0, Environment.ProcessorCount - 1));

    /// <summary>Threads a call can use, the caller included.</summary>
    public int MaxParallelism => _workers.Length + 1;

    /// <summary>
    /// Threads a kernel asking for <paramref name="requested"/> can use on <see cref="Shared"/>. One thread never touches
    /// the shared pool, so a single-threaded session starts no workers.
    /// </summary>
    public static int UsableThreads(int requested) => requested <= 1 ? 1 : Math.Min(requested, Shared.MaxParallelism);

    /// <summary>
    /// Runs <paramref name="work"/> for indices [0, count) on the caller and the workers, returning when all are
    /// done; rethrows the first exception. Returns false (running nothing) when the pool is already in use.
    /// </summary>
    public bool TryRun(IParallelWork work, int count)
    {
        if (count <= 0)
            return true;
        if (Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
            return false;
        try
        {
            _work = work;
            _count = count;
            _error = null;
            Volatile.Write(ref _remaining, count);
            var generation = (int)(Volatile.Read(ref _state) >> 32) + 1;
            Interlocked.Exchange(ref _state, (long)generation << 32);
            var wake = Math.Min(count - 1, _workers.Length);
            for (var i = 0; i < wake; i++)
                _workers[i].Wake();

            Drain(generation);
            var spinner = default(SpinWait);
            while (Volatile.Read(ref _remaining) != 0)
                spinner.SpinOnce(sleep1Threshold: -1);
            // Close the generation before the next call rewrites _count/_work, so a worker holding a stale
            // (generation, index) snapshot cannot pass its compare-exchange.
            Interlocked.Exchange(ref _state, ((long)generation << 32) | int.MaxValue);
            _work = null;
            if (_error is { } error)
                throw new AggregateException(error);
            return true;
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    void Drain(int generation)
    {
        while (true)
        {
            var state = Volatile.Read(ref _state);
            if ((int)(state >> 32) != generation)
                return;
            var index = (int)state;
            if (index >= Volatile.Read(ref _count))
                return;
            if (Interlocked.CompareExchange(ref _state, state + 1, state) != state)
                continue;
            try
            {
                _work!.Execute(index);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _error, e, null);
            }
            Interlocked.Decrement(ref _remaining);
        }
    }

    [SuppressMessage("Design", "CA1001", Justification = "Workers and their events live as long as the process.")]
    sealed class Worker
    {
        readonly KernelThreadPool _pool;
        readonly ManualResetEventSlim _signal = new(false, spinCount: 0);

        public Worker(KernelThreadPool pool, int index)
        {
            _pool = pool;
            var thread = new Thread(Loop) { IsBackground = true, Name = $"OnnxFuse kernel worker {index}" };
            thread.Start();
        }

        public void Wake() => _signal.Set();

        void Loop()
        {
            var seen = 0;
            while (true)
            {
                var generation = (int)(Volatile.Read(ref _pool._state) >> 32);
                var spins = 0;
                while (generation == seen)
                {
                    if (spins++ < SpinIterations)
                    {
                        Thread.SpinWait(8);
                    }
                    else
                    {
                        // Reset before the re-check so a Set between the check and Wait is never lost.
                        _signal.Reset();
                        if ((int)(Volatile.Read(ref _pool._state) >> 32) == seen)
                            _signal.Wait();
                        spins = 0;
                    }
                    generation = (int)(Volatile.Read(ref _pool._state) >> 32);
                }
                seen = generation;
                _pool.Drain(generation);
            }
        }
    }
}
