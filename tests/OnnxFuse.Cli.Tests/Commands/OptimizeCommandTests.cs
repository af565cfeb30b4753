using System.Text.Json;
using OnnxFuse.Onnx;
using OnnxFuse.Testing;

namespace OnnxFuse.Cli.Tests.Commands;

public sealed class OptimizeCommandTests : IDisposable
{
    readonly string _scratch = Directory.CreateTempSubdirectory("onnxfuse-optimize-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    string Out(string name = "optimized.onnx") => Path.Combine(_scratch, name);

    [Fact]
    public void Optimize_folds_mobilenets_batchnorms_verifies_and_writes_the_fusion_record()
    {
        var result = CliResult.Run("optimize", TestPaths.SharedModel("mobilenet_v2"), "-o", Out(), "--patterns", "conv-batchnorm",
            "--metadata", Out("fusions.json"), "--verify");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("verified on the managed engine", result.Output, StringComparison.Ordinal);
        Assert.Contains("52 fusions", result.Output, StringComparison.Ordinal);
        var optimized = ModelFile.Load(Out());
        Assert.DoesNotContain(optimized.Graph.Nodes, n => n.OpType == "BatchNormalization");
        Assert.Contains("conv-batchnorm", optimized.MetadataProps["onnxfuse.optimize"], StringComparison.Ordinal);
        using var record = JsonDocument.Parse(File.ReadAllText(Out("fusions.json")));
        Assert.Equal(52, record.RootElement.GetProperty("counts").GetProperty("conv-batchnorm").GetInt32());
        var first = record.RootElement.GetProperty("fusions")[0];
        Assert.Equal(["Conv", "BatchNormalization"], first.GetProperty("replaced").EnumerateArray().Select(n => n.GetProperty("op_type").GetString()));
        Assert.Equal(["Conv"], first.GetProperty("created").EnumerateArray().Select(n => n.GetProperty("op_type").GetString()));
    }

    [Fact]
    public void Opset_17_raises_bert_mini_op13_and_verifies_its_standard_layer_normalizations()
    {
        var result = CliResult.Run("optimize", TestPaths.SharedModel("bert_mini_op13"), "-o", Out(), "--opset", "17", "--verify");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("opset 13 → 17", result.Output, StringComparison.Ordinal);
        Assert.Contains("verified on the managed engine", result.Output, StringComparison.Ordinal);
        var optimized = ModelFile.Load(Out());
        Assert.Equal(17, optimized.OpsetImports.Default);
        Assert.Equal(9, optimized.Graph.Nodes.Count(n => n.OpType == "LayerNormalization"));
    }

    [Fact]
    public void Without_an_opset_bert_mini_op13_keeps_opset_13_and_the_output_points_to_opset_17()
    {
        var result = CliResult.Run("optimize", TestPaths.SharedModel("bert_mini_op13"), "-o", Out());

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("--opset 17 emits Add + LayerNormalization", result.Output, StringComparison.Ordinal);
        Assert.Equal(13, ModelFile.Load(Out()).OpsetImports.Default);
    }

    [Fact]
    public void A_lower_opset_exits_1_and_writes_nothing()
    {
        var result = CliResult.Run("optimize", TestPaths.SharedModel("bert_mini_op17"), "-o", Out(), "--opset", "13");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("opset 13 is below the model's opset 17", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Out()));
    }

    [Fact]
    public void An_opset_that_is_not_a_version_is_refused_before_anything_runs()
    {
        var result = CliResult.Run("optimize", TestPaths.SharedModel("vollo_cnn"), "-o", Out(), "--opset", "seventeen");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--opset takes an opset version such as 17, not 'seventeen'", result.Error + result.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(Out()));
    }

    [Fact]
    public void An_unknown_pattern_exits_1_naming_it_and_writes_nothing()
    {
        var result = CliResult.Run("optimize", TestPaths.SharedModel("vollo_cnn"), "-o", Out(), "--patterns", "conv-batchnorm,no-such-pass");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("'no-such-pass'", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Out()));
    }

    [Fact]
    public void A_missing_model_exits_1_naming_the_file()
    {
        var missing = Path.Combine(_scratch, "missing.onnx");

        var result = CliResult.Run("optimize", missing, "-o", Out());

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("missing.onnx", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Out()));
    }
}
