using OnnxFuse.Engine.Kernels.Threading;

namespace OnnxFuse.Engine.Tests.Kernels.Threading;

// A private pool per test class: the shared one may be busy with kernels from tests running in parallel.
public sealed class KernelThreadPoolTests
{
    readonly KernelThreadPool _pool = new(workerCount: 3);

    [Fact]
    public void Runs_every_index_exactly_once_over_many_calls()
    {
        var work = new CountingWork(64);
        for (var call = 0; call < 500; call++)
            Assert.True(_pool.TryRun(work, 1 + call % 64));

        var expected = new int[64];
        for (var call = 0; call < 500; call++)
        {
            for (var i = 0; i < 1 + call % 64; i++)
                expected[i]++;
        }
        Assert.Equal(expected, work.Counts);
    }

    [Fact]
    public void Rethrows_an_exception_from_a_work_item()
    {
        var error = Assert.Throws<AggregateException>(() => _pool.TryRun(new ThrowingWork(), 4));
        Assert.IsType<InvalidOperationException>(error.InnerException);
    }

    [Fact]
    public void Nested_call_reports_busy_so_the_caller_runs_inline()
    {
        var nested = new NestedWork(_pool);
        Assert.True(_pool.TryRun(nested, 2));
        Assert.False(nested.InnerRan);
    }

    sealed class CountingWork(int size) : IParallelWork
    {
        public int[] Counts { get; } = new int[size];
        public void Execute(int index) => Interlocked.Increment(ref Counts[index]);
    }

    sealed class ThrowingWork : IParallelWork
    {
        public void Execute(int index) => throw new InvalidOperationException($"item {index}");
    }

    sealed class NestedWork(KernelThreadPool pool) : IParallelWork
    {
        public bool InnerRan { get; private set; }
        public void Execute(int index)
        {
            if (index == 0)
                InnerRan = pool.TryRun(new CountingWork(1), 1);
        }
    }
}
