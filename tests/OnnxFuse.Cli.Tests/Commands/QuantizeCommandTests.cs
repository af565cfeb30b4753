using OnnxFuse.Onnx;
using OnnxFuse.Testing;

namespace OnnxFuse.Cli.Tests.Commands;

public sealed class QuantizeCommandTests : IDisposable
{
    readonly string _scratch = Directory.CreateTempSubdirectory("onnxfuse-quantize-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    string Out(string name = "quantized.onnx") => Path.Combine(_scratch, name);

    static string Sample(string name) => Path.Combine(TestPaths.RepositoryRoot, "samples", name);

    [Fact]
    public void Quantize_writes_a_qdq_model_and_reports_both_variants_with_the_gap_to_onnx_runtime()
    {
        var result = CliResult.Run("quantize", TestPaths.SharedModel("vollo_cnn"), "-o", Out(), "--config", Sample("quant_vollo_cnn.yaml"),
            "--samples", "64", "--report");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("with fusion", result.Output, StringComparison.Ordinal);
        Assert.Contains("without fusion", result.Output, StringComparison.Ordinal);
        Assert.Contains("gap to ORT", result.Output, StringComparison.Ordinal);
        Assert.Contains("2 ops quantized (2 fused modules", result.Output, StringComparison.Ordinal);
        var quantized = ModelFile.Load(Out());
        Assert.Contains(quantized.Graph.Nodes, n => n.OpType == "QuantizeLinear");
        Assert.Equal(2, quantized.Graph.Nodes.Count(n => n.OpType == "Relu"));
    }

    [Fact]
    public void Format_qoperator_writes_the_model_with_its_qdq_groups_lowered_to_QLinearConv()
    {
        var result = CliResult.Run("quantize", TestPaths.SharedModel("vollo_cnn"), "-o", Out(), "--config", Sample("quant_vollo_cnn.yaml"),
            "--samples", "64", "--format", "qoperator");

        Assert.Equal(0, result.ExitCode);
        var lowered = ModelFile.Load(Out());
        Assert.Equal(2, lowered.Graph.Nodes.Count(n => n.OpType == "QLinearConv"));
        Assert.DoesNotContain(lowered.Graph.Nodes, n => n.OpType is "Conv" or "Relu");
    }

    [Fact]
    public void An_unknown_format_exits_1_naming_it_and_writes_nothing()
    {
        var result = CliResult.Run("quantize", TestPaths.SharedModel("vollo_cnn"), "-o", Out(), "--config", Sample("quant_vollo_cnn.yaml"),
            "--format", "qlinear");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("'qlinear'", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Out()));
    }

    [Fact]
    public void A_fuse_tuple_naming_an_unknown_module_exits_1_naming_the_entry_and_writes_nothing()
    {
        var config = Out("bad.yaml");
        File.WriteAllText(config, "- op_types: [Conv]\n  fuse_names: [[c1, relu9]]\n");

        var result = CliResult.Run("quantize", TestPaths.SharedModel("vollo_cnn"), "-o", Out(), "--config", config);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("bad.yaml:1: entries[0].fuse_names[0]: (c1, relu9): no node is named 'relu9'", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Out()));
    }

    [Fact]
    public void Calibrates_on_a_folder_of_inputs_with_percentiles()
    {
        var folder = Path.Combine(TestPaths.SharedModels, "vollo_cnn", "test_data_set_0");

        var result = CliResult.Run("quantize", TestPaths.SharedModel("vollo_cnn"), "-o", Out(), "--config", Sample("quant_vollo_cnn.yaml"),
            "--calibration", folder, "--method", "percentile", "--percentile", "99.9");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("calibrated on 1 samples", result.Output, StringComparison.Ordinal);
        Assert.True(File.Exists(Out()));
    }

    [Fact]
    public void An_empty_calibration_folder_exits_1_and_writes_nothing()
    {
        var empty = Directory.CreateDirectory(Path.Combine(_scratch, "empty")).FullName;

        var result = CliResult.Run("quantize", TestPaths.SharedModel("vollo_cnn"), "-o", Out(), "--config", Sample("quant_vollo_cnn.yaml"), "--calibration", empty);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no calibration inputs", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Out()));
    }
}
