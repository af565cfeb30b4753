using System.Text.Json.Serialization;

namespace OnnxFuse.Cli.Inspection;

/// <summary>One timed configuration and its ratios (null where the comparison does not exist).</summary>
sealed record BenchRow(string Model, string Target, int Threads, double MedianMs, double P10Ms, double P90Ms, int Runs)
{
    /// <summary>Median process CPU time per run (see <see cref="Runtime.Benchmarking.LatencyStats.CpuMedianMs"/>).</summary>
    public double? CpuMedianMs { get; init; }

    /// <summary>As <see cref="ManagedOverOnnxRuntime"/>, from CPU times: steadier on a loaded machine at one thread.</summary>
    public double? ManagedOverOnnxRuntimeCpu { get; init; }

    /// <summary>This managed row's median ÷ ONNX Runtime's for the same model and threads.</summary>
    public double? ManagedOverOnnxRuntime { get; init; }

    /// <summary>This row's median ÷ the first model's on the same target and threads.</summary>
    public double? OverFirstModel { get; init; }
}

/// <summary>What <c>onnxfuse bench</c> measured, with the ratios filled in.</summary>
sealed record BenchReport(IReadOnlyList<BenchRow> Rows)
{
    public static BenchReport Of(IReadOnlyList<BenchRow> rows)
    {
        var firstModel = rows.Count > 0 ? rows[0].Model : "";
        return new BenchReport([.. rows.Select(row => row with
        {
            ManagedOverOnnxRuntime = row.Target == "managed"
                ? rows.FirstOrDefault(o => o.Target == "onnxruntime" && o.Model == row.Model && o.Threads == row.Threads) is { } ort
                    ? row.MedianMs / ort.MedianMs
                    : null
                : null,
            ManagedOverOnnxRuntimeCpu = row.Target == "managed"
                ? rows.FirstOrDefault(o => o.Target == "onnxruntime" && o.Model == row.Model && o.Threads == row.Threads) is { CpuMedianMs: > 0 } ortCpu
                    ? row.CpuMedianMs / ortCpu.CpuMedianMs
                    : null
                : null,
            OverFirstModel = row.Model != firstModel
                ? rows.FirstOrDefault(b => b.Model == firstModel && b.Target == row.Target && b.Threads == row.Threads) is { } baseline
                    ? row.MedianMs / baseline.MedianMs
                    : null
                : null,
        })]);
    }
}

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(BenchReport))]
sealed partial class BenchReportJson : JsonSerializerContext;
