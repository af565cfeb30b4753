using OnnxFuse.Compose.Config;

namespace OnnxFuse.Compose.Tests.Config;

public sealed class FusionConfigReaderTests
{
    const string Folder = "/configs";

    [Fact]
    public void A_full_config_gives_the_options_paths_and_input_shapes_it_names()
    {
        const string Yaml = """
            mode: switched
            output: out/fused.onnx
            index_name: which
            share_input: false
            budget: 64MB
            prefix: name
            models:
              - path: mlp.onnx
                name: mlp
                input_shapes:
                  input: [784]
              - path: ../models/cnn.onnx
            """;

        var config = FusionConfigReader.Parse(Yaml, "fusion.yaml", Folder);

        Assert.Equal(FusionMode.Switched, config.Options.Mode);
        Assert.Equal("which", config.Options.IndexName);
        Assert.Equal(64_000_000, config.Options.MemoryBudgetBytes);
        Assert.Equal(PrefixScheme.ModelName, config.Options.Prefix);
        Assert.Equal("/configs/out/fused.onnx", config.OutputPath);
        Assert.Equal(["/configs/mlp.onnx", "/models/cnn.onnx"], config.Models.Select(m => m.Path));
        Assert.Equal("mlp", config.Models[0].Name);
        Assert.Equal([784L], config.Models[0].InputShapes["input"]);
        Assert.Null(config.Options.Prefixes);
    }

    [Fact]
    public void Prefixes_given_for_every_model_become_explicit_prefixes()
    {
        const string Yaml = """
            models:
              - path: a.onnx
                prefix: a_
              - path: b.onnx
                prefix: b_
            """;

        Assert.Equal(["a_", "b_"], FusionConfigReader.Parse(Yaml, "fusion.yaml", Folder).Options.Prefixes);
    }

    [Theory]
    [InlineData("mode: parallel\nshape: 3\nmodels:\n  - path: a.onnx\n", "fusion.yaml:2: unknown key 'shape' in the config")]
    [InlineData("mode: sideways\nmodels:\n  - path: a.onnx\n", "fusion.yaml:1: 'mode' must be parallel or switched, not 'sideways'")]
    [InlineData("budget: lots\nmodels:\n  - path: a.onnx\n", "fusion.yaml:1: 'budget' must be a size")]
    [InlineData("share_input: maybe\nmodels:\n  - path: a.onnx\n", "fusion.yaml:1: 'share_input' must be true or false")]
    [InlineData("models:\n  - path: a.onnx\n  - name: b\n", "fusion.yaml:3: models[1] has no 'path'")]
    [InlineData("models:\n  - path: a.onnx\n    file: b.onnx\n", "fusion.yaml:3: unknown key 'file' in models[0]")]
    [InlineData("models:\n  - path: a.onnx\n    input_shapes:\n      x: [1, many]\n", "fusion.yaml:4: 'models[0].input_shapes.x' holds 'many'")]
    [InlineData("models:\n  - path: a.onnx\n    prefix: a_\n  - path: b.onnx\n", "fusion.yaml: give 'prefix' for every model or for none")]
    [InlineData("mode: parallel\n", "fusion.yaml: the config lists no models")]
    [InlineData("models: [a, [b\n", "fusion.yaml:2: not valid YAML")]
    [InlineData("- just\n- a list\n", "fusion.yaml: the fusion config must be a mapping")]
    public void A_bad_config_is_one_error_naming_the_line_and_the_key(string yaml, string expected)
    {
        var error = Assert.Throws<FusionException>(() => FusionConfigReader.Parse(yaml, "fusion.yaml", Folder));

        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }
}
