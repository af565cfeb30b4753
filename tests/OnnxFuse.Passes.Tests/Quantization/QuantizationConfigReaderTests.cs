using OnnxFuse.Passes.Quantization;

namespace OnnxFuse.Passes.Tests.Quantization;

public sealed class QuantizationConfigReaderTests
{
    [Fact]
    public void Reads_every_key_of_an_entry()
    {
        var config = QuantizationTestModels.Parse("""
            - op_names: [conv1, "features.*"]
              op_types: Conv
              target_names: [_input_, weight, bias, _output_]
              quant_dtype: int8
              quant_scheme: symmetric
              granularity: per-tensor
              fuse_names: [[conv1, bn1, relu1], [conv2, relu2]]
            """);

        var entry = Assert.Single(config.Entries);
        Assert.Equal(["conv1", "features.*"], entry.OpNames);
        Assert.Equal(["Conv"], entry.OpTypes);
        Assert.Equal(QuantizationTargets.Input | QuantizationTargets.Weight | QuantizationTargets.Bias | QuantizationTargets.Output, entry.Targets);
        Assert.Equal(QuantizedType.Int8, entry.ActivationType);
        Assert.Equal(QuantizationScheme.Symmetric, entry.Scheme);
        Assert.Equal(QuantizationGranularity.PerTensor, entry.WeightGranularity);
        Assert.Equal([["conv1", "bn1", "relu1"], ["conv2", "relu2"]], entry.FuseNames);
    }

    [Fact]
    public void Defaults_to_uint8_affine_activations_per_channel_weights_and_accepts_config_list()
    {
        var entry = Assert.Single(QuantizationTestModels.Parse("config_list:\n  - op_types: [Conv]\n    granularity: default\n").Entries);

        Assert.Equal(QuantizedType.UInt8, entry.ActivationType);
        Assert.Equal(QuantizationScheme.Affine, entry.Scheme);
        Assert.Equal(QuantizationGranularity.PerChannel, entry.WeightGranularity);
        Assert.Equal(QuantizationTargets.Input | QuantizationTargets.Weight | QuantizationTargets.Output, entry.Targets);
    }

    [Theory]
    [InlineData("- op_types: [Conv]\n  colour: red\n", "test.yaml:1: entries[0]: unknown key 'colour'")]
    [InlineData("- op_types: [Conv]\n  target_names: [_inputs_]\n", "entries[0].target_names: unknown target '_inputs_'")]
    [InlineData("- op_types: [Conv]\n  quant_dtype: int4\n", "entries[0].quant_dtype: must be one of int8, uint8, not 'int4'")]
    [InlineData("- op_types: [Conv]\n  quant_scheme: affinee\n", "entries[0].quant_scheme: must be one of affine, symmetric")]
    [InlineData("- op_types: [Conv]\n  granularity: per-row\n", "entries[0].granularity: must be one of default, per-channel, per-tensor")]
    [InlineData("- quant_dtype: int8\n", "test.yaml:1: entries[0]: selects no ops")]
    [InlineData("- op_types: [Conv]\n- op_types: [Gemm]\n  fuse_names: [[a, b, c, d]]\n", "test.yaml:2: entries[1].fuse_names[0]: (a, b, c, d) has 4 names")]
    [InlineData("- op_types: [Conv]\n  fuse_names: [[conv1]]\n", "entries[0].fuse_names[0]: (conv1) has 1 names")]
    [InlineData("op_types: [Conv]\n", "must be a non-empty list of entries")]
    [InlineData("- op_types: [Conv\n", "test.yaml:")]
    public void Reports_bad_entries_with_file_line_entry_and_key(string yaml, string expected)
    {
        var error = Assert.Throws<QuantizationConfigException>(() => QuantizationTestModels.Parse(yaml));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
