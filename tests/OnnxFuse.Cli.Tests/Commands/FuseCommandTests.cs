using System.Text.Json;
using OnnxFuse.Testing;

namespace OnnxFuse.Cli.Tests.Commands;

public sealed class FuseCommandTests : IDisposable
{
    readonly string _scratch = Directory.CreateTempSubdirectory("onnxfuse-fuse-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    string Out(string name = "fused.onnx") => Path.Combine(_scratch, name);

    [Fact]
    public void Parallel_fusion_writes_a_model_that_inspect_describes_per_model()
    {
        var result = CliResult.Run("fuse", TestPaths.SharedModel("vollo_mlp"), TestPaths.SharedModel("vollo_cnn"), "-o", Out());

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Fused 2 models (parallel)", result.Output, StringComparison.Ordinal);
        var table = CliResult.Run("inspect", Out());
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("Fused models (parallel)", table.Output, StringComparison.Ordinal);
        Assert.Contains("vollo_cnn", table.Output, StringComparison.Ordinal);
        Assert.Contains("m1_output ← output", table.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Switched_fusion_json_lists_the_index_input_and_each_models_hash()
    {
        var result = CliResult.Run("fuse", TestPaths.SharedModel("vollo_mlp"), TestPaths.SharedModel("vollo_cnn"), "-o", Out(),
            "--mode", "switched", "--index-name", "model_index");

        Assert.Equal(0, result.ExitCode);
        using var summary = JsonDocument.Parse(CliResult.Run("inspect", Out(), "--json").Output);
        var fusion = summary.RootElement.GetProperty("fusion");
        Assert.Equal("switched", fusion.GetProperty("mode").GetString());
        Assert.Equal("model_index", fusion.GetProperty("indexName").GetString());
        Assert.Equal("model_index", summary.RootElement.GetProperty("inputs")[0].GetProperty("name").GetString());
        var models = fusion.GetProperty("models");
        Assert.Equal(["vollo_mlp", "vollo_cnn"], models.EnumerateArray().Select(m => m.GetProperty("name").GetString()));
        Assert.All(models.EnumerateArray(), m => Assert.Equal(64, m.GetProperty("sha256").GetString()!.Length));
    }

    [Fact]
    public void A_budget_too_small_exits_4_and_leaves_no_file()
    {
        var result = CliResult.Run("fuse", TestPaths.SharedModel("vollo_mlp"), TestPaths.SharedModel("vollo_cnn"), "-o", Out(), "--budget", "10KB");

        Assert.Equal(4, result.ExitCode);
        Assert.Contains("budget", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Out()));
    }

    [Fact]
    public void A_budget_that_is_not_a_size_exits_1_naming_the_value()
    {
        var result = CliResult.Run("fuse", TestPaths.SharedModel("vollo_mlp"), TestPaths.SharedModel("vollo_cnn"), "-o", Out(), "--budget", "lots");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("'lots'", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Out()));
    }

    [Fact]
    public void Sharing_inputs_of_different_shapes_exits_1_naming_the_model()
    {
        var result = CliResult.Run("fuse", TestPaths.SharedModel("vollo_mlp"), TestPaths.SharedModel("vollo_cnn"), "-o", Out(), "--share-input");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("'vollo_cnn'", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Out()));
    }
}
