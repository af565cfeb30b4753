using OnnxFuse.Runtime.Benchmarking;

namespace OnnxFuse.Runtime.Tests.Benchmarking;

public sealed class LatencyStatsTests
{
    [Fact]
    public void Percentiles_interpolate_between_ranks_of_the_sorted_samples()
    {
        // Samples 1..11 shuffled: the median is 6, p10 is 2, p90 is 10 (ranks 5, 1 and 9 of 0..10).
        double[] samples = [7, 3, 11, 1, 9, 5, 2, 10, 4, 8, 6];

        var stats = LatencyStats.FromSamples(samples);

        Assert.Equal(6, stats.MedianMs);
        Assert.Equal(2, stats.P10Ms);
        Assert.Equal(10, stats.P90Ms);
        Assert.Equal(11, stats.Runs);
    }

    [Fact]
    public void An_even_count_takes_the_midpoint_for_the_median()
    {
        Assert.Equal(2.5, LatencyStats.FromSamples([4, 1, 3, 2]).MedianMs);
    }

    [Fact]
    public void Measuring_runs_the_action_the_requested_number_of_times_after_warming_up()
    {
        var calls = 0;

        var stats = LatencyBenchmark.Measure(() => calls++, runs: 25, budget: TimeSpan.FromMilliseconds(10));

        Assert.Equal(25, stats.Runs);
        Assert.True(calls >= 28, $"expected at least 3 warm-up calls before the 25 timed ones, saw {calls}");
    }

    [Fact]
    public void Measuring_records_the_process_cpu_time_per_run()
    {
        // Oracle: a busy loop of about 2 ms uses CPU time; no bound on how much (the machine may be loaded).
        var stats = LatencyBenchmark.Measure(() =>
        {
            var until = System.Diagnostics.Stopwatch.GetTimestamp() + (System.Diagnostics.Stopwatch.Frequency / 500);
            while (System.Diagnostics.Stopwatch.GetTimestamp() < until)
            {
            }
        }, runs: 5, budget: TimeSpan.FromMilliseconds(10));

        Assert.NotNull(stats.CpuMedianMs);
        Assert.True(stats.CpuMedianMs > 0, $"cpu median {stats.CpuMedianMs} ms");
    }
}
