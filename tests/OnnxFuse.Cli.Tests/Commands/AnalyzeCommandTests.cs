using System.Text.Json;
using OnnxFuse.Testing;

namespace OnnxFuse.Cli.Tests.Commands;

public sealed class AnalyzeCommandTests
{
    [Fact]
    public void Analyze_lists_one_conv_batchnorm_opportunity_per_batchnorm_of_mobilenet()
    {
        var result = CliResult.Run("analyze", TestPaths.SharedModel("mobilenet_v2"), "--json", "--patterns", "conv-batchnorm");

        Assert.Equal(0, result.ExitCode);
        using var found = JsonDocument.Parse(result.Output);
        Assert.Equal(52, found.RootElement.GetArrayLength());
        var first = found.RootElement[0];
        Assert.Equal("conv-batchnorm", first.GetProperty("pattern").GetString());
        Assert.Equal(1, first.GetProperty("nodes_saved").GetInt32());
        Assert.Equal(["Conv", "BatchNormalization"], first.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("op_type").GetString()));
    }

    [Fact]
    public void Analyze_prints_a_table_and_a_total()
    {
        var result = CliResult.Run("analyze", TestPaths.SharedModel("mobilenet_v2"), "--patterns", "conv-batchnorm");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("52 opportunities (conv-batchnorm ×52)", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_without_matches_says_so()
    {
        var result = CliResult.Run("analyze", TestPaths.SharedModel("vollo_mlp"), "--patterns", "conv-batchnorm");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("no fusion opportunities", result.Output, StringComparison.Ordinal);
    }
}
