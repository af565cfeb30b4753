using System.Diagnostics;

namespace OnnxFuse.Runtime.Benchmarking;

/// <summary>
/// Times one action run many times: warm-up first (so plans, pools and caches are built, and the tiered JIT has
/// promoted the hot kernels: half the budget, at least three runs), then each run timed on its own, so the median
/// is robust to the noise of a shared machine.
/// </summary>
public static class LatencyBenchmark
{
    /// <param name="run">The call to time.</param>
    /// <param name="runs">Timed runs; 0 picks enough to fill about <paramref name="budget"/> (10 to 5,000).</param>
    /// <param name="budget">Target time for the timed runs when <paramref name="runs"/> is 0.</param>
    public static LatencyStats Measure(Action run, int runs, TimeSpan budget)
    {
        var warmupStart = Stopwatch.GetTimestamp();
        var warmups = 0;
        do
        {
            run();
            warmups++;
        }
        while (warmups < 3 || (warmups < 5000 && Stopwatch.GetElapsedTime(warmupStart) < budget / 2));
        var perRun = Stopwatch.GetElapsedTime(warmupStart).TotalMilliseconds / warmups;
        if (runs <= 0)
            runs = (int)Math.Clamp(budget.TotalMilliseconds / Math.Max(perRun, 1e-3), 10, 5000);

        var samples = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            var start = Stopwatch.GetTimestamp();
            run();
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        return LatencyStats.FromSamples(samples);
    }

    /// <summary>
    /// Times several actions in turn: each warmed up as above, then round after round of one timed run of each (the
    /// order rotating every round), so load that comes and goes on a shared machine falls on all of them alike and their
    /// ratios stay meaningful. <paramref name="runs"/> = 0 sizes the rounds to about <paramref name="budget"/> per action.
    /// </summary>
    public static IReadOnlyList<LatencyStats> MeasureInterleaved(IReadOnlyList<Action> actions, int runs, TimeSpan budget)
    {
        ArgumentNullException.ThrowIfNull(actions);
        var slowest = 0.0;
        foreach (var run in actions)
        {
            var warmupStart = Stopwatch.GetTimestamp();
            var warmups = 0;
            do
            {
                run();
                warmups++;
            }
            while (warmups < 3 || (warmups < 5000 && Stopwatch.GetElapsedTime(warmupStart) < budget / 2));
            slowest = Math.Max(slowest, Stopwatch.GetElapsedTime(warmupStart).TotalMilliseconds / warmups);
        }
        if (runs <= 0)
            runs = (int)Math.Clamp(budget.TotalMilliseconds / Math.Max(slowest, 1e-3), 10, 5000);
        var samples = actions.Select(_ => new double[runs]).ToArray();
        for (var round = 0; round < runs; round++)
        {
            for (var k = 0; k < actions.Count; k++)
            {
                var index = (round + k) % actions.Count;
                var start = Stopwatch.GetTimestamp();
                actions[index]();
                samples[index][round] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
        }
        return [.. samples.Select(LatencyStats.FromSamples)];
    }
}
