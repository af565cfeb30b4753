using System.Text.Json;
using OnnxFuse.Testing;

namespace OnnxFuse.Cli.Tests.Commands;

public sealed class BenchCommandTests
{
    [Fact]
    public void Json_report_has_a_row_per_target_and_thread_count_with_the_managed_to_onnxruntime_ratio()
    {
        var result = CliResult.Run("bench", TestPaths.SharedModel("vollo_mlp"), "--threads", "1,2", "--runs", "5", "--json");

        Assert.Equal(0, result.ExitCode);
        using var report = JsonDocument.Parse(result.Output);
        var rows = report.RootElement.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(4, rows.Count);
        foreach (var managed in rows.Where(r => r.GetProperty("target").GetString() == "managed"))
        {
            var threads = managed.GetProperty("threads").GetInt32();
            var ort = rows.Single(r => r.GetProperty("target").GetString() == "onnxruntime" && r.GetProperty("threads").GetInt32() == threads);
            var expected = managed.GetProperty("medianMs").GetDouble() / ort.GetProperty("medianMs").GetDouble();
            Assert.Equal(expected, managed.GetProperty("managedOverOnnxRuntime").GetDouble(), 9);
            var expectedByCpu = managed.GetProperty("cpuMedianMs").GetDouble() / ort.GetProperty("cpuMedianMs").GetDouble();
            Assert.Equal(expectedByCpu, managed.GetProperty("managedOverOnnxRuntimeCpu").GetDouble(), 9);
            Assert.Equal(5, managed.GetProperty("runs").GetInt32());
            Assert.True(managed.GetProperty("p10Ms").GetDouble() <= managed.GetProperty("medianMs").GetDouble());
            Assert.True(managed.GetProperty("medianMs").GetDouble() <= managed.GetProperty("p90Ms").GetDouble());
        }
    }

    [Fact]
    public void A_second_model_is_compared_with_the_first_on_the_same_target()
    {
        var result = CliResult.Run("bench", TestPaths.SharedModel("vollo_mlp"), TestPaths.SharedModel("vollo_cnn"),
            "--target", "managed", "--threads", "1", "--runs", "3", "--json");

        Assert.Equal(0, result.ExitCode);
        using var report = JsonDocument.Parse(result.Output);
        var rows = report.RootElement.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(["vollo_mlp", "vollo_cnn"], rows.Select(r => r.GetProperty("model").GetString()));
        Assert.Equal(rows[1].GetProperty("medianMs").GetDouble() / rows[0].GetProperty("medianMs").GetDouble(),
            rows[1].GetProperty("overFirstModel").GetDouble(), 9);
    }

    [Fact]
    public void A_bad_thread_list_is_refused_naming_the_value()
    {
        var result = CliResult.Run("bench", TestPaths.SharedModel("vollo_mlp"), "--threads", "1,zero");

        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        Assert.Contains("'zero'", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_onnxruntime_optimization_level_gets_its_own_row_and_managed_compares_with_all()
    {
        var result = CliResult.Run("bench", TestPaths.SharedModel("vollo_mlp"), "--threads", "1", "--runs", "3",
            "--ort-optimization", "disabled,all", "--json");

        Assert.Equal(0, result.ExitCode);
        using var report = JsonDocument.Parse(result.Output);
        var rows = report.RootElement.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(["managed", "onnxruntime:disabled", "onnxruntime"], rows.Select(r => r.GetProperty("target").GetString()));
        Assert.Equal(rows[0].GetProperty("medianMs").GetDouble() / rows[2].GetProperty("medianMs").GetDouble(),
            rows[0].GetProperty("managedOverOnnxRuntime").GetDouble(), 9);
    }

    [Fact]
    public void Each_managed_fusion_level_gets_its_own_row_and_the_default_compares_with_onnxruntime()
    {
        var result = CliResult.Run("bench", TestPaths.SharedModel("vollo_cnn"), "--threads", "1", "--runs", "3",
            "--managed-optimization", "disabled,all", "--json");

        Assert.Equal(0, result.ExitCode);
        using var report = JsonDocument.Parse(result.Output);
        var rows = report.RootElement.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(["managed:disabled", "managed", "onnxruntime"], rows.Select(r => r.GetProperty("target").GetString()));
        Assert.Equal(JsonValueKind.Null, rows[0].GetProperty("managedOverOnnxRuntime").ValueKind);
        Assert.Equal(rows[1].GetProperty("medianMs").GetDouble() / rows[2].GetProperty("medianMs").GetDouble(),
            rows[1].GetProperty("managedOverOnnxRuntime").GetDouble(), 9);
    }

    [Fact]
    public void An_unknown_managed_fusion_level_is_refused_naming_it()
    {
        var result = CliResult.Run("bench", TestPaths.SharedModel("vollo_mlp"), "--managed-optimization", "extreme");

        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        Assert.Contains("'extreme'", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Qdq_models_are_timed_lowered_and_simulated_side_by_side_when_interleaved()
    {
        var scratch = Directory.CreateTempSubdirectory("onnxfuse-bench-").FullName;
        try
        {
            var quantized = Path.Combine(scratch, "vollo_cnn_int8.onnx");
            Assert.Equal(0, CliResult.Run("quantize", TestPaths.SharedModel("vollo_cnn"), "-o", quantized, "--config",
                Path.Combine(TestPaths.RepositoryRoot, "samples", "quant_vollo_cnn.yaml"), "--samples", "8").ExitCode);

            var result = CliResult.Run("bench", TestPaths.SharedModel("vollo_cnn"), quantized, "--target", "managed", "--threads", "1",
                "--runs", "3", "--qdq", "lower,simulate", "--interleave", "--json");

            Assert.Equal(0, result.ExitCode);
            using var report = JsonDocument.Parse(result.Output);
            var rows = report.RootElement.GetProperty("rows").EnumerateArray().ToList();
            Assert.Equal(["vollo_cnn/managed", "vollo_cnn/managed:qdq-float", "vollo_cnn_int8.onnx/managed", "vollo_cnn_int8.onnx/managed:qdq-float"],
                rows.Select(r => $"{r.GetProperty("model").GetString()}/{r.GetProperty("target").GetString()}"));
            Assert.All(rows, r => Assert.Equal(3, r.GetProperty("runs").GetInt32()));
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    [Fact]
    public void An_unknown_qdq_mode_is_refused_naming_it()
    {
        var result = CliResult.Run("bench", TestPaths.SharedModel("vollo_mlp"), "--qdq", "int8");

        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        Assert.Contains("'int8'", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_onnxruntime_level_is_refused_naming_it()
    {
        var result = CliResult.Run("bench", TestPaths.SharedModel("vollo_mlp"), "--ort-optimization", "max");

        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        Assert.Contains("'max'", result.Error, StringComparison.Ordinal);
    }
}
