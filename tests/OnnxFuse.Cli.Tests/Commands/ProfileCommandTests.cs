using OnnxFuse.Onnx;
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
    public void On_onnx_runtime_it_times_every_node_of_the_graph_as_written()
    {
        var path = TestPaths.SharedModel("vollo_cnn");
        var nodes = ModelFile.Load(path).Graph.Nodes;

        var result = CliResult.Run("profile", path, "--target", "onnxruntime", "--ort-optimization", "disabled", "--runs", "3", "--top", "20");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Time per run by operator", result.Output, StringComparison.Ordinal);
        Assert.Contains("over 3 runs", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("event limit", result.Output, StringComparison.Ordinal);
        Assert.All(nodes, node => Assert.Contains(node.Name, result.Output, StringComparison.Ordinal));
        Assert.Contains($"Slowest {nodes.Count} nodes", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("managed,onnxruntime", "all", "one --target")]
    [InlineData("onnxruntime", "disabled,all", "one --ort-optimization")]
    [InlineData("gpu", "all", "gpu")]
    public void Options_that_ask_for_more_than_one_profile_or_an_unknown_target_are_refused(string target, string ortLevel, string expected)
    {
        var result = CliResult.Run("profile", TestPaths.SharedModel("vollo_cnn"), "--target", target, "--ort-optimization", ortLevel, "--runs", "1");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_model_is_refused_naming_the_file()
    {
        var result = CliResult.Run("profile", "/nonexistent/model.onnx");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("/nonexistent/model.onnx", result.Error, StringComparison.Ordinal);
    }
}
