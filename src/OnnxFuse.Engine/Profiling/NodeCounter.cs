using System.Diagnostics;

namespace OnnxFuse.Engine.Profiling;

/// <summary>The mutable totals behind one <see cref="NodeTiming"/>, updated lock-free by the runs.</summary>
sealed class NodeCounter(string node, string opType, bool containsSubgraphs)
{
    long _calls;
    long _ticks;
    long _fastestTicks = long.MaxValue;
    string? _shapes;

    /// <summary>True until the first call has recorded the shapes (so steady-state calls never format strings).</summary>
    public bool NeedsShapes => Volatile.Read(ref _shapes) is null;

    public void RecordShapes(string shapes) => Interlocked.CompareExchange(ref _shapes, shapes, null);

    public void Record(long ticks)
    {
        Interlocked.Increment(ref _calls);
        Interlocked.Add(ref _ticks, ticks);
        var fastest = Volatile.Read(ref _fastestTicks);
        while (ticks < fastest)
        {
            var seen = Interlocked.CompareExchange(ref _fastestTicks, ticks, fastest);
            if (seen == fastest)
                break;
            fastest = seen;
        }
    }

    public void Reset()
    {
        Interlocked.Exchange(ref _calls, 0);
        Interlocked.Exchange(ref _ticks, 0);
        Interlocked.Exchange(ref _fastestTicks, long.MaxValue);
    }

    public NodeTiming ToTiming()
    {
        var calls = Interlocked.Read(ref _calls);
        return new NodeTiming(node, opType, _shapes ?? "", containsSubgraphs, calls, Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _ticks)),
            calls == 0 ? TimeSpan.Zero : Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _fastestTicks)));
    }
}
