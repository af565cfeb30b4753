using System.Text.Json;
using OnnxFuse.Testing;

namespace OnnxFuse.Cli.Tests.Commands;

public sealed class InspectCommandTests : IDisposable
{
    readonly string _scratch = Directory.CreateTempSubdirectory("onnxfuse-inspect-").FullName;

    public void Dispose() => Directory.Delete(_scratch, recursive: true);

    public static TheoryData<string> SharedModels => [.. TestPaths.SharedModelNames];

    [Theory, MemberData(nameof(SharedModels))]
    public void Json_output_matches_the_io_description_shipped_beside_each_shared_model(string name)
    {
        // Oracle: io.json, written by the exporter that produced the model.
        using var io = JsonDocument.Parse(File.ReadAllText(Path.Combine(TestPaths.SharedModels, name, "io.json")));

        var result = CliResult.Run("inspect", TestPaths.SharedModel(name), "--json");

        Assert.Equal(0, result.ExitCode);
        using var summary = JsonDocument.Parse(result.Output);
        var root = summary.RootElement;
        Assert.Equal(io.RootElement.GetProperty("ir_version").GetInt64(), root.GetProperty("irVersion").GetInt64());
        Assert.Equal(io.RootElement.GetProperty("opset").GetInt64(), root.GetProperty("opsets").GetProperty("ai.onnx").GetInt64());
        AssertValuesMatch(io.RootElement.GetProperty("inputs"), root.GetProperty("inputs"));
        AssertValuesMatch(io.RootElement.GetProperty("outputs"), root.GetProperty("outputs"));
        Assert.Equal(0, root.GetProperty("problems").GetArrayLength());
        var nodeCount = root.GetProperty("opTypes").EnumerateObject().Sum(p => p.Value.GetInt32());
        Assert.Equal(root.GetProperty("nodeCount").GetInt32() + root.GetProperty("subgraphNodeCount").GetInt32(), nodeCount);
    }

    [Fact]
    public void Json_output_counts_the_mlp_operators_and_parameters()
    {
        // vollo_mlp: 784→128→128 (+ residual) →10, three MatMuls with biases (see shared/models/README.md).
        var result = CliResult.Run("inspect", TestPaths.SharedModel("vollo_mlp"), "--json");

        using var summary = JsonDocument.Parse(result.Output);
        var ops = summary.RootElement.GetProperty("opTypes");
        Assert.Equal(3, ops.GetProperty("MatMul").GetInt32());
        Assert.Equal(2, ops.GetProperty("Relu").GetInt32());
        const long Parameters = (784 * 128) + 128 + (128 * 128) + 128 + (128 * 10) + 10;
        Assert.Equal(Parameters, summary.RootElement.GetProperty("parameterCount").GetInt64());
        Assert.Equal(Parameters * 4, summary.RootElement.GetProperty("parameterBytes").GetInt64());
    }

    [Fact]
    public void Table_output_lists_inputs_outputs_and_operators()
    {
        var result = CliResult.Run("inspect", TestPaths.SharedModel("bert_mini_op13"));

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("input_ids", result.Output, StringComparison.Ordinal);
        Assert.Contains("last_hidden_state", result.Output, StringComparison.Ordinal);
        Assert.Contains("[1, 128, 256]", result.Output, StringComparison.Ordinal);
        Assert.Contains("ReduceMean", result.Output, StringComparison.Ordinal);
        Assert.Empty(result.Error);
    }

    [Fact]
    public void Verifier_problems_are_listed_for_a_model_that_loads_but_breaks_the_rules()
    {
        // A node in a domain the model does not import: loadable, but not valid ONNX.
        var model = OnnxFuse.Onnx.ModelFile.Load(TestPaths.SharedModel("vollo_mlp"));
        model.Graph.Nodes[0].Domain = "com.example";
        var path = Path.Combine(_scratch, "foreign.onnx");
        OnnxFuse.Onnx.ModelFile.Save(model, path);

        var result = CliResult.Run("inspect", path);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("1 problem", result.Output, StringComparison.Ordinal);
        Assert.Contains("com.example", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_one_error_line_naming_it_with_exit_code_1()
    {
        var missing = Path.Combine(_scratch, "nope.onnx");

        var result = CliResult.Run("inspect", missing);

        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        Assert.Contains("nope.onnx", result.Error, StringComparison.Ordinal);
        Assert.Single(result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("empty")]
    [InlineData("random")]
    [InlineData("truncated")]
    public void A_corrupt_file_is_one_error_line_naming_it_without_a_stack_trace(string kind)
    {
        var path = Path.Combine(_scratch, $"{kind}.onnx");
        var real = File.ReadAllBytes(TestPaths.SharedModel("vollo_mlp"));
        File.WriteAllBytes(path, kind switch
        {
            "empty" => [],
            "random" => RandomBytes(4096),
            _ => real[..(real.Length / 2)],
        });

        var result = CliResult.Run("inspect", path);

        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        Assert.StartsWith($"error: {path}: ", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
        Assert.Empty(result.Output);
    }

    [Fact]
    public void Verbose_adds_the_stack_trace_to_an_error()
    {
        var path = Path.Combine(_scratch, "random.onnx");
        File.WriteAllBytes(path, RandomBytes(100));

        var result = CliResult.Run("inspect", path, "--verbose");

        Assert.Equal(ExitCodes.InvalidInput, result.ExitCode);
        Assert.Contains("   at ", result.Error, StringComparison.Ordinal);
    }

    static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        new Random(17).NextBytes(bytes);
        return bytes;
    }

    static void AssertValuesMatch(JsonElement expected, JsonElement actual)
    {
        Assert.Equal(expected.GetArrayLength(), actual.GetArrayLength());
        foreach (var (e, a) in expected.EnumerateArray().Zip(actual.EnumerateArray()))
        {
            Assert.Equal(e.GetProperty("name").GetString(), a.GetProperty("name").GetString());
            Assert.Equal(e.GetProperty("dtype").GetString(), a.GetProperty("type").GetString());
            Assert.Equal(
                e.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture)),
                a.GetProperty("shape").EnumerateArray().Select(d => d.GetString()));
        }
    }
}
