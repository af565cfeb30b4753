using System.Diagnostics;

namespace OnnxFuse.Runtime.Benchmarking;

/// <summary>
/// Times one action run many times: warm-up first (so plans, pools and caches are built, and the tiered JIT has
/// promoted the hot kernels: half the budget, at least three runs), then each run timed on its own, so the median
/// is robust to the noise of a shared machine; each run's process CPU time is recorded beside its wall time.
/// </summary>
public static class LatencyBenchmark
{
    /// <param name="run">The call to time.</param>
    /// <param name="runs">Timed runs; 0 picks enough to fill about <paramref name="budget"/> (10 to 5,000).</param>
    /// <param name="budget">Target time for the timed runs when <paramref name="runs"/> is 0.</param>
    public static LatencyStats Measure(Action run, int runs, TimeSpan budget)
    {
        var perRun = WarmUp(run, budget);
        if (runs <= 0)
            runs = RunsFor(budget, perRun);
        var samples = new double[runs];
        var cpuSamples = new double[runs];
        for (var i = 0; i < runs; i++)
            (samples[i], cpuSamples[i]) = TimeOnce(run);
        return Stats(samples, cpuSamples);
    }

    /// <summary>
    /// Times several actions in turn: each warmed up as above, then round after round of one timed run of each (the
    /// order rotating every round), so load that comes and goes on a shared machine falls on all of them alike and their
    /// ratios stay meaningful. <paramref name="runs"/> = 0 sizes the rounds to about <paramref name="budget"/> per action.
    /// </summary>
    public static IReadOnlyList<LatencyStats> MeasureInterleaved(IReadOnlyList<Action> actions, int runs, TimeSpan budget)
    {
        ArgumentNullException.ThrowIfNull(actions);
        var slowest = actions.Max(run => WarmUp(run, budget));
        if (runs <= 0)
            runs = RunsFor(budget, slowest);
        var samples = actions.Select(_ => new double[runs]).ToArray();
        var cpuSamples = actions.Select(_ => new double[runs]).ToArray();
        for (var round = 0; round < runs; round++)
        {
            for (var k = 0; k < actions.Count; k++)
            {
                var index = (round + k) % actions.Count;
                (samples[index][round], cpuSamples[index][round]) = TimeOnce(actions[index]);
            }
        }
        return [.. samples.Select((wall, i) => Stats(wall, cpuSamples[i]))];
    }

    /// <summary>Runs <paramref name="run"/> for half the budget (at least three times); returns the mean ms per run.</summary>
    static double WarmUp(Action run, TimeSpan budget)
    {
        var warmupStart = Stopwatch.GetTimestamp();
        var warmups = 0;
        do
        {
            run();
            warmups++;
        }
        while (warmups < 3 || (warmups < 5000 && Stopwatch.GetElapsedTime(warmupStart) < budget / 2));
        return Stopwatch.GetElapsedTime(warmupStart).TotalMilliseconds / warmups;
    }

    static int RunsFor(TimeSpan budget, double perRunMs) => (int)Math.Clamp(budget.TotalMilliseconds / Math.Max(perRunMs, 1e-3), 10, 5000);

    /// <summary>One run's wall time and process CPU time, in ms.</summary>
    static (double Wall, double Cpu) TimeOnce(Action run)
    {
        var cpuStart = Environment.CpuUsage.TotalTime;
        var start = Stopwatch.GetTimestamp();
        run();
        return (Stopwatch.GetElapsedTime(start).TotalMilliseconds, (Environment.CpuUsage.TotalTime - cpuStart).TotalMilliseconds);
    }

    static LatencyStats Stats(double[] wall, double[] cpu) =>
        LatencyStats.FromSamples(wall) with { CpuMedianMs = LatencyStats.FromSamples(cpu).MedianMs };
}
