using System.Runtime.ExceptionServices;
using OnnxFuse.Engine.Kernels.Threading;
using OnnxFuse.Engine.Planning;

namespace OnnxFuse.Engine.Runtime;

/// <summary>
/// Inter-op parallelism: the main graph's weakly connected components (a parallel-fused model's models) share no
/// intermediate value, so each lane of the frame takes components one at a time until none is left, allocating
/// from its own pool. Intra-op kernels inside a component find <see cref="KernelThreadPool.Shared"/> busy and run
/// inline, so threads are never oversubscribed. One instance per frame, reused by every run.
/// </summary>
sealed class ConcurrentComponents(ExecutionFrame frame, PlanStep[][] components) : IParallelWork
{
    int _next;
    ExceptionDispatchInfo? _error;

    /// <summary>
    /// Runs every component; false (having run nothing) when the thread pool is taken by another run, in which
    /// case the caller runs the plan sequentially.
    /// </summary>
    public bool TryRun()
    {
        _next = 0;
        _error = null;
        if (!KernelThreadPool.Shared.TryRun(this, frame.Lanes.Length))
            return false;
        _error?.Throw();
        return true;
    }

    public void Execute(int index)
    {
        var lane = frame.Lanes[index];
        int component;
        while ((component = Interlocked.Increment(ref _next) - 1) < components.Length && Volatile.Read(ref _error) is null)
        {
            try
            {
                Executor.RunSteps(components[component], frame, lane);
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _error, ExceptionDispatchInfo.Capture(e), null);
            }
        }
    }
}
