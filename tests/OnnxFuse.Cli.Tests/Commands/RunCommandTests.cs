using OnnxFuse.Ir.Tensors;
using OnnxFuse.Onnx;
using OnnxFuse.Onnx.Npy;
using OnnxFuse.Testing;

namespace OnnxFuse.Cli.Tests.Commands;

public sealed class RunCommandTests : IDisposable
{
    readonly string _scratch = Directory.CreateTempSubdirectory("onnxfuse-run-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    static string ReferenceFolder(string name) => Path.Combine(TestPaths.SharedModels, name, "test_data_set_0");

    [Theory]
    [InlineData("managed")]
    [InlineData("onnxruntime")]
    public void Outputs_written_from_the_reference_inputs_match_the_reference_outputs(string target)
    {
        // Oracle: PyTorch's outputs beside the model; tolerance 1e-4 relative, 1e-5 absolute.
        var outputs = Path.Combine(_scratch, "out");

        var result = CliResult.Run("run", TestPaths.SharedModel("vollo_cnn"), "--target", target,
            "--inputs", ReferenceFolder("vollo_cnn"), "--outputs", outputs);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("[1, 1, 5]", result.Output, StringComparison.Ordinal);
        var expected = TensorFile.Load(Path.Combine(ReferenceFolder("vollo_cnn"), "output_0.pb")).ToArray<float>();
        var actual = TensorFile.Load(Path.Combine(outputs, "output_0.pb")).ToArray<float>();
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-5f + (1e-4f * Math.Abs(expected[i])), $"element {i}");
    }

    [Fact]
    public void An_input_given_as_npy_by_name_is_used()
    {
        var input = TensorFile.Load(Path.Combine(ReferenceFolder("vollo_mlp"), "input_0.pb"));
        var npy = Path.Combine(_scratch, "input.npy");
        NpyFile.Save(input, npy);
        var outputs = Path.Combine(_scratch, "out");

        var result = CliResult.Run("run", TestPaths.SharedModel("vollo_mlp"), "--input", $"input={npy}", "--outputs", outputs);

        Assert.Equal(0, result.ExitCode);
        var expected = TensorFile.Load(Path.Combine(ReferenceFolder("vollo_mlp"), "output_0.pb")).ToArray<float>();
        var actual = TensorFile.Load(Path.Combine(outputs, "output_0.pb")).ToArray<float>();
        Assert.Equal(expected, actual, (a, b) => Math.Abs(a - b) <= 1e-5f + (1e-4f * Math.Abs(b)));
    }

    [Fact]
    public void A_missing_input_is_an_error_naming_it_unless_random_is_asked_for()
    {
        var refused = CliResult.Run("run", TestPaths.SharedModel("bert_mini_op13"));
        var random = CliResult.Run("run", TestPaths.SharedModel("bert_mini_op13"), "--random", "--threads", "1");

        Assert.Equal(ExitCodes.InvalidInput, refused.ExitCode);
        Assert.Contains("input_ids", refused.Error, StringComparison.Ordinal);
        Assert.Contains("--random", refused.Error, StringComparison.Ordinal);
        Assert.Equal(0, random.ExitCode);
        Assert.Contains("last_hidden_state", random.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void An_input_file_of_the_wrong_shape_is_one_error_line_and_no_outputs_are_written()
    {
        var npy = Path.Combine(_scratch, "short.npy");
        NpyFile.Save(TensorData.Create<float>([783], new float[783]), npy);
        var outputs = Path.Combine(_scratch, "out");

        var result = CliResult.Run("run", TestPaths.SharedModel("vollo_mlp"), "--input", $"input={npy}", "--outputs", outputs);

        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        Assert.Contains("input", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.False(Directory.Exists(outputs));
    }

    [Fact]
    public void An_unknown_target_is_refused()
    {
        var result = CliResult.Run("run", TestPaths.SharedModel("vollo_mlp"), "--random", "--target", "tpu");

        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        Assert.Contains("unknown target 'tpu'", result.Error, StringComparison.Ordinal);
    }
}
