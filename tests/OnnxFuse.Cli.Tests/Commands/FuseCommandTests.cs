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
        var inputs = summary.RootElement.GetProperty("inputs").EnumerateArray().ToList();
        Assert.Equal("model_index", inputs[0].GetProperty("name").GetString());
        Assert.False(inputs[0].GetProperty("hasDefault").GetBoolean());
        var models = fusion.GetProperty("models");
        // Each model's inputs follow the index, marked as optional: the caller feeds only the chosen model's.
        var modelInputs = models.EnumerateArray().SelectMany(m => m.GetProperty("inputs").EnumerateArray()).Select(i => i.GetProperty("name").GetString());
        Assert.Equal(modelInputs, inputs.Skip(1).Select(i => i.GetProperty("name").GetString()));
        Assert.All(inputs.Skip(1), i => Assert.True(i.GetProperty("hasDefault").GetBoolean()));
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

    [Fact]
    public void A_yaml_config_fuses_its_models_with_its_options_and_fixed_input_shapes()
    {
        var folder = Directory.CreateTempSubdirectory("onnxfuse-config-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "fusion.yaml"), $"""
                mode: switched
                index_name: which
                output: fused.onnx
                models:
                  - path: {TestPaths.SharedModel("vollo_mlp")}
                    name: mlp
                    input_shapes:
                      input: [784]
                  - path: {TestPaths.SharedModel("vollo_cnn")}
                    name: cnn
                """);

            var result = CliResult.Run("fuse", "--config", Path.Combine(folder, "fusion.yaml"));
            var inspected = CliResult.Run("inspect", Path.Combine(folder, "fused.onnx"), "--json");

            Assert.Equal(0, result.ExitCode);
            using var summary = System.Text.Json.JsonDocument.Parse(inspected.Output);
            var fusion = summary.RootElement.GetProperty("fusion");
            Assert.Equal("switched", fusion.GetProperty("mode").GetString());
            Assert.Equal("which", fusion.GetProperty("indexName").GetString());
            Assert.Equal(["mlp", "cnn"], fusion.GetProperty("models").EnumerateArray().Select(m => m.GetProperty("name").GetString()));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_bad_config_key_is_one_error_line_naming_file_line_and_key_and_no_model_is_written()
    {
        var folder = Directory.CreateTempSubdirectory("onnxfuse-config-").FullName;
        try
        {
            var config = Path.Combine(folder, "fusion.yaml");
            File.WriteAllText(config, $"output: fused.onnx\nmodels:\n  - path: {TestPaths.SharedModel("vollo_mlp")}\n    shapes: [1]\n");

            var result = CliResult.Run("fuse", "--config", config);

            Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
            Assert.StartsWith($"error: {config}:4: unknown key 'shapes' in models[0]", result.Error, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(folder, "fused.onnx")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
