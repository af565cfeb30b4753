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
        var cpuSamples = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            var cpuStart = Environment.CpuUsage.TotalTime;
            var start = Stopwatch.GetTimestamp();
            run();
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            cpuSamples[i] = (Environment.CpuUsage.TotalTime - cpuStart).TotalMilliseconds;
        }
        return LatencyStats.FromSamples(samples) with { CpuMedianMs = LatencyStats.FromSamples(cpuSamples).MedianMs };
    }
}
