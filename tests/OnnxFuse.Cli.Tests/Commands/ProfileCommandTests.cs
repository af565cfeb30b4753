using OnnxFuse.Testing;

namespace OnnxFuse.Cli.Tests.Commands;

public sealed class ProfileCommandTests
{
    [Fact]
    public void Prints_time_by_operator_and_the_slowest_nodes_with_their_shapes()
    {
        var result = CliResult.Run("profile", TestPaths.SharedModel("vollo_cnn"), "--runs", "3", "--top", "2");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Time per run by operator", result.Output, StringComparison.Ordinal);
        Assert.Contains("Conv", result.Output, StringComparison.Ordinal);
        Assert.Contains("Slowest 2 nodes", result.Output, StringComparison.Ordinal);
        Assert.Contains("over 3 runs", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_model_is_refused_naming_the_file()
    {
        var result = CliResult.Run("profile", "/nonexistent/model.onnx");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("/nonexistent/model.onnx", result.Error, StringComparison.Ordinal);
    }
}
