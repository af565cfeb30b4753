namespace OnnxFuse.Runtime.Benchmarking;

/// <summary>Latency of repeated runs: median and the 10th/90th percentiles, in milliseconds.</summary>
public sealed record LatencyStats(double MedianMs, double P10Ms, double P90Ms, int Runs)
{
    /// <summary>
    /// Median CPU time of the whole process per run, where measured. On a loaded machine it leaves out the time the
    /// OS gave to other processes, so one-thread ratios hold better than wall-clock ones (with several threads it
    /// sums them, spin-waiting included).
    /// </summary>
    public double? CpuMedianMs { get; init; }

    public static LatencyStats FromSamples(double[] milliseconds)
    {
        if (milliseconds.Length == 0)
            throw new ArgumentException("no samples", nameof(milliseconds));
        var sorted = milliseconds.Order().ToArray();
        return new LatencyStats(Percentile(sorted, 0.5), Percentile(sorted, 0.1), Percentile(sorted, 0.9), sorted.Length);
    }

    /// <summary>Linear interpolation between the closest ranks.</summary>
    static double Percentile(double[] sorted, double fraction)
    {
        var rank = fraction * (sorted.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = Math.Min(low + 1, sorted.Length - 1);
        return sorted[low] + ((rank - low) * (sorted[high] - sorted[low]));
    }
}
