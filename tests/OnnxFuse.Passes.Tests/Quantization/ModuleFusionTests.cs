using OnnxFuse.Ir.Validation;
using OnnxFuse.Onnx;
using OnnxFuse.Passes.Quantization;
using OnnxFuse.Testing;

namespace OnnxFuse.Passes.Tests.Quantization;

public sealed class ModuleFusionTests
{
    [Fact]
    public void Folds_batchnorm_and_keeps_the_activation_as_the_quantization_point()
    {
        var model = QuantizationTestModels.ConvBatchNormRelu();
        var config = QuantizationTestModels.Parse("- op_types: [Conv]\n  fuse_names: [[conv1, bn1, relu1]]\n");

        var fused = Assert.Single(ModuleFusion.Apply(model, config));

        GraphVerifier.Check(model);
        Assert.Equal(["Conv", "Relu", "Conv"], PassTester.OpTypes(model));
        Assert.Equal("/conv1/Conv", fused.Head.Name);
        Assert.Same(model.Graph.Nodes[1].Output(0), fused.QuantizationPoint);
    }

    [Theory]
    [InlineData("[[conv1, bn9]]", "entries[0].fuse_names[0]: (conv1, bn9): no node is named 'bn9'")]
    [InlineData("[[conv1, relu1]]", "'relu1' does not directly (and alone) read the output of 'conv1'")]
    [InlineData("[[bn1, relu1]]", "is BatchNormalization → Relu, which cannot be fused")]
    [InlineData("[[conv1, bn1, conv2]]", "'conv2' does not directly (and alone) read the output of 'bn1'")]
    [InlineData("[[relu1, conv2]]", "is Relu → Conv, which cannot be fused")]
    [InlineData("[[\"*conv*\", bn1]]", "'*conv*' names 2 nodes")]
    [InlineData("[[conv1, bn1], [conv1, bn1, relu1]]", "fuse_names[1]: '/conv1/Conv' (Conv) is already fused by test.yaml:1: entries[0].fuse_names[0]")]
    public void Refuses_invalid_tuples_naming_the_entry(string tuples, string expected)
    {
        var model = QuantizationTestModels.ConvBatchNormRelu();
        var error = Assert.Throws<QuantizationConfigException>(() => ModuleFusion.Apply(model, Config(tuples)));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal(4, model.Graph.Nodes.Count);
    }

    [Fact]
    public void Refuses_a_combination_that_is_adjacent_but_unsupported()
    {
        var model = QuantizationTestModels.ConvBatchNormRelu();
        var error = Assert.Throws<QuantizationConfigException>(() => ModuleFusion.Apply(model, Config("[[conv1, bn1, relu1], [relu1, conv2]]")));

        Assert.StartsWith("test.yaml:1: entries[0].fuse_names[1]: (relu1, conv2) is Relu → Conv", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_mobilenet_sample_config_fuses_all_52_conv_batchnorm_groups_by_module_path()
    {
        var model = ModelFile.Load(TestPaths.SharedModel("mobilenet_v2"));
        var config = QuantizationConfigReader.Load(Path.Combine(TestPaths.RepositoryRoot, "samples", "quant_mobilenet.yaml"));

        var fused = ModuleFusion.Apply(model, config);

        GraphVerifier.Check(model);
        Assert.Equal(52, fused.Count);
        Assert.Equal(35, fused.Count(f => f.QuantizationPoint.Producer!.OpType == "Clip"));
        Assert.DoesNotContain(model.Graph.Nodes, n => n.OpType == "BatchNormalization");
    }

    static QuantizationConfig Config(string tuples) => QuantizationTestModels.Parse($"- op_types: [Conv]\n  fuse_names: {tuples}\n");
}
