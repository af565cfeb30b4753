using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Validation;
using OnnxFuse.Passes.Quantization;
using OnnxFuse.Runtime;
using OnnxFuse.Runtime.Optimization;

namespace OnnxFuse.Passes.Tests.Quantization;

public sealed class QuantizerTests
{
    const string FusedConfig = """
        - op_types: [Conv]
          target_names: [_input_, weight, bias, _output_]
          fuse_names: [[conv1, bn1, relu1]]
        """;

    [Fact]
    public void Fused_conv_batchnorm_relu_gets_one_qdq_pair_after_the_relu()
    {
        var original = QuantizationTestModels.ConvBatchNormRelu();

        var result = Quantizer.Quantize(original, QuantizationTestModels.Parse(FusedConfig), QuantizationTestModels.Options(original));

        GraphVerifier.Check(result.Model);
        Assert.Equal(2, result.QuantizedOps);
        Assert.Equal(3, result.ActivationPairs);
        Assert.Equal(2, result.QuantizedWeights);
        var ops = PassTester.OpTypes(result.Model);
        Assert.Equal(3, ops.Count(op => op == "QuantizeLinear"));
        Assert.Equal(3 + 4, ops.Count(op => op == "DequantizeLinear"));
        Assert.DoesNotContain("BatchNormalization", ops);
        var relu = result.Model.Graph.Nodes.Single(n => n.OpType == "Relu");
        Assert.Equal("Conv", relu.Input(0).Producer!.OpType);
        Assert.Equal("QuantizeLinear", Assert.Single(relu.Output(0).Consumers).OpType);
        Assert.Equal("y", result.Model.Graph.Outputs[0].Name);
        Assert.Equal("DequantizeLinear", result.Model.Graph.Outputs[0].Producer!.OpType);
    }

    [Fact]
    public void Stores_weights_as_per_channel_int8_and_bias_as_int32_with_the_product_scale()
    {
        var original = QuantizationTestModels.ConvBatchNormRelu();

        var model = Quantizer.Quantize(original, QuantizationTestModels.Parse(FusedConfig), QuantizationTestModels.Options(original)).Model;

        var conv = model.Graph.Nodes.First(n => n.OpType == "Conv");
        var weight = conv.Input(1).Producer!;
        Assert.Equal(ElementType.Int8, weight.Input(0).ConstantData!.ElementType);
        Assert.Equal([4], weight.Input(1).ConstantData!.Dims);
        Assert.Equal(0, weight.GetInt("axis", 1));
        var bias = conv.Input(2).Producer!;
        Assert.Equal(ElementType.Int32, bias.Input(0).ConstantData!.ElementType);
        var inputScale = conv.Input(0).Producer!.Input(1).ConstantData!.AsSpan<float>()[0];
        var weightScales = weight.Input(1).ConstantData!.AsSpan<float>();
        var biasScales = bias.Input(1).ConstantData!.AsSpan<float>();
        for (var c = 0; c < 4; c++)
            Assert.Equal(inputScale * weightScales[c], biasScales[c]);
    }

    [Fact]
    public void Without_fusion_every_conv_output_and_the_relu_input_are_quantized_and_batchnorm_stays()
    {
        var original = QuantizationTestModels.ConvBatchNormRelu();

        var result = Quantizer.Quantize(original, QuantizationTestModels.Parse(FusedConfig), QuantizationTestModels.Options(original, fuse: false));

        var ops = PassTester.OpTypes(result.Model);
        Assert.Contains("BatchNormalization", ops);
        Assert.Equal(4, ops.Count(op => op == "QuantizeLinear"));
        Assert.Empty(result.Fused);
    }

    /// <summary>
    /// Bound: uint8 activations over a calibrated range R have step R/255, so each quantization point adds at most
    /// R/510 of rounding error (≈ 0.2%, half that on average); with three points and weights at 1/254 relative, the
    /// mean error stays under 0.5% of the output's range. The max may reach a few steps more where a held-out value
    /// lies beyond the range calibrated on 16 samples and is clipped: 5% of the range (measured 2.8%).
    /// </summary>
    [Fact]
    public void Quantized_outputs_stay_close_to_float_relative_to_the_output_range()
    {
        var original = QuantizationTestModels.ConvBatchNormRelu();
        var quantized = Quantizer.Quantize(original, QuantizationTestModels.Parse(FusedConfig), QuantizationTestModels.Options(original, samples: 16)).Model;
        var heldOut = QuantizationTestModels.HeldOut(original, 8);

        var error = Assert.Single(QuantizationError.Measure(original, ExecutionTarget.Managed, quantized, ExecutionTarget.Managed, heldOut));
        var range = heldOut.Select(s => PassTester.RunOn(original, s, ExecutionTarget.Managed)[0].ToArray<float>()).SelectMany(v => v).ToArray();

        var width = range.Max() - range.Min();
        Assert.True(error.MeanAbs <= 0.005 * width, $"mean error {error.MeanAbs} over range {width}");
        Assert.True(error.MaxAbs <= 0.05 * width, $"max error {error.MaxAbs} over range {width}");
        Assert.True(error.Cosine > 0.999, $"cosine {error.Cosine}");
    }

    [Fact]
    public void Selects_ops_by_module_path_and_leaves_the_others_float()
    {
        var original = QuantizationTestModels.ConvBatchNormRelu();

        var result = Quantizer.Quantize(original, QuantizationTestModels.Parse("- op_names: [conv2]\n  target_names: [weight]\n"), QuantizationTestModels.Options(original));

        Assert.Equal(1, result.QuantizedOps);
        Assert.Equal(0, result.ActivationPairs);
        var conv1 = result.Model.Graph.Nodes.First(n => n.Name == "/conv1/Conv");
        Assert.True(conv1.Input(1).IsInitializer);
        Assert.Equal("DequantizeLinear", result.Model.Graph.Nodes.First(n => n.Name == "/conv2/Conv").Input(1).Producer!.OpType);
    }

    [Theory]
    [InlineData("conv1", "/conv1/Conv", true)]
    [InlineData("features.0.0", "/features/features.0/features.0.0/Conv", true)]
    [InlineData("features.1.conv.0.0", "/features/features.1/conv/conv.0/conv.0.0/Conv", true)]
    [InlineData("conv.0.0", "/features/features.1/conv/conv.0/conv.0.0/Conv", true)]
    [InlineData("features.1", "/features/features.1/conv/conv.0/conv.0.0/Conv", false)]
    [InlineData("Relu", "/Relu", true)]
    [InlineData("/features/*/Conv", "/features/features.0/Conv", true)]
    [InlineData("conv1", "/conv10/Conv", false)]
    public void Matches_node_names_globs_and_module_paths(string pattern, string nodeName, bool expected)
    {
        var graph = new Graph();
        var node = graph.AddNode("Conv", [], ["out"], name: nodeName);

        Assert.Equal(expected, ModuleNames.Matches(pattern, node));
    }
}
