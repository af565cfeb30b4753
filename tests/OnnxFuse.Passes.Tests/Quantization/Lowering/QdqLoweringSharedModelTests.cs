using OnnxFuse.Ir.Editing;
using OnnxFuse.Onnx;
using OnnxFuse.Passes.Quantization;
using OnnxFuse.Passes.Quantization.Lowering;
using OnnxFuse.Runtime;
using OnnxFuse.Runtime.Optimization;
using OnnxFuse.Testing;
using Xunit.Abstractions;

namespace OnnxFuse.Passes.Tests.Quantization.Lowering;

/// <summary>
/// The lowered model (every quantized Conv a QLinearConv, run by the managed engine's int8 kernels) against the QDQ model it
/// came from: as ONNX Runtime deploys it (QDQ fused into its int8 kernels) and as the engine simulates it (float between Q/DQ
/// pairs). Same configs and seeds as <see cref="QuantizedSharedModelTests"/>.
/// </summary>
public sealed class QdqLoweringSharedModelTests(ITestOutputHelper output)
{
    /// <summary>
    /// Bounds are the measured max |Δ| rounded up (vollo_cnn's output step: 0.0709 int8, 0.0582 uint8). vollo_cnn: the
    /// symmetric int8 model is bit-exact with both references; the uint8 one is bit-exact with the simulation and one step
    /// from ONNX Runtime, whose u8 × s8 kernel (vpmaddubsw, no VNNI) rounds differently — as far as the simulation is from it.
    /// mobilenet_v2 (float logits after 52 requantizations and 10 int8 residual additions): measured 0.0077 to ONNX Runtime (the simulation: 0.0096) and
    /// 0.0019 to the simulation, mean 0.00018.
    /// </summary>
    [Theory]
    [InlineData("vollo_cnn", 64, 64, QuantizedType.Int8, QuantizationScheme.Symmetric, 0.0, 0.0)]
    [InlineData("vollo_cnn", 64, 64, QuantizedType.UInt8, QuantizationScheme.Affine, 0.06, 0.0)]
    [InlineData("mobilenet_v2", 8, 4, QuantizedType.UInt8, QuantizationScheme.Affine, 0.01, 0.005)]
    public void Lowered_model_stays_within_the_measured_gap_of_the_qdq_model(string name, int calibrationCount, int heldOutCount,
        QuantizedType type, QuantizationScheme scheme, double maxGapToOrt, double maxGapToSimulation)
    {
        var model = ModelFile.Load(TestPaths.SharedModel(name));
        var config = QuantizationTestModels.ConvConfig(QuantizationTestModels.ConvChains(model), type, scheme);
        var heldOut = QuantizationTestModels.HeldOut(model, heldOutCount);
        var quantized = Quantizer.Quantize(model, config, QuantizationTestModels.Options(model, calibrationCount)).Model;
        var convCount = quantized.Graph.Nodes.Count(n => n.OpType == "Conv");

        var lowered = quantized.Clone();
        QdqLowering.Lower(lowered);

        Assert.Equal(convCount, lowered.Graph.Nodes.Count(n => n.OpType == "QLinearConv"));
        Assert.DoesNotContain(lowered.Graph.Nodes, n => n.OpType == "Conv");
        var toOrt = QuantizationError.Measure(quantized, ExecutionTarget.OnnxRuntime, lowered, ExecutionTarget.Managed, heldOut)[0];
        var toSimulation = QuantizationError.Measure(quantized, ExecutionTarget.Managed, lowered, ExecutionTarget.Managed, heldOut)[0];
        var toFloat = QuantizationError.Measure(model, ExecutionTarget.Managed, lowered, ExecutionTarget.Managed, heldOut)[0];
        output.WriteLine($"{name} lowered vs ORT QDQ: max {toOrt.MaxAbs:G4} mean {toOrt.MeanAbs:G4}; vs engine QDQ simulation: max {toSimulation.MaxAbs:G4} "
            + $"mean {toSimulation.MeanAbs:G4}; vs float32: max {toFloat.MaxAbs:G4} mean {toFloat.MeanAbs:G4} cos {toFloat.Cosine:F6} top1 {toFloat.Top1Agreement}");
        Assert.True(toOrt.MaxAbs <= maxGapToOrt, $"lowered vs ONNX Runtime: {toOrt.MaxAbs:G4} > {maxGapToOrt}");
        Assert.True(toSimulation.MaxAbs <= maxGapToSimulation, $"lowered vs simulation: {toSimulation.MaxAbs:G4} > {maxGapToSimulation}");
    }

    [Fact]
    public void Mobilenet_v2_lowers_every_convolution_residual_add_and_the_classifier_to_int8_ops()
    {
        var model = ModelFile.Load(TestPaths.SharedModel("mobilenet_v2"));
        var config = QuantizationTestModels.ConvConfig(QuantizationTestModels.ConvChains(model));
        var quantized = Quantizer.Quantize(model, config, QuantizationTestModels.Options(model, 2)).Model;

        var lowered = QdqLowering.LoweredCopy(quantized);

        // Left: the input's QuantizeLinear, the pooling in float between the last convolution's DequantizeLinear and the classifier's
        // QuantizeLinear, and the output's DequantizeLinear.
        var histogram = string.Join(", ", lowered.Graph.Nodes.GroupBy(n => n.OpType).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}"));
        output.WriteLine(histogram);
        Assert.Equal("DequantizeLinear 2, Flatten 1, GlobalAveragePool 1, QGemm 1, QLinearAdd 10, QLinearConv 52, QuantizeLinear 2", histogram);
    }

    [Fact]
    public void Managed_runner_lowers_qdq_models_by_default_and_simulates_them_when_asked()
    {
        var model = ModelFile.Load(TestPaths.SharedModel("vollo_cnn"));
        var config = QuantizationTestModels.ConvConfig(QuantizationTestModels.ConvChains(model), QuantizedType.UInt8, QuantizationScheme.Affine);
        var quantized = Quantizer.Quantize(model, config, QuantizationTestModels.Options(model, 64)).Model;
        var lowered = quantized.Clone();
        QdqLowering.Lower(lowered);
        var input = QuantizationTestModels.HeldOut(model, 1)[0];

        // Layer fusion off: the lowered graph itself must run, bit for bit.
        using var byDefault = ModelRunner.Create(quantized, new RunnerOptions { ManagedOptimization = null });
        using var simulating = ModelRunner.Create(quantized, new RunnerOptions { LowerQdq = false, ManagedOptimization = null });

        PassTester.AssertClose(PassTester.RunOn(lowered, input, ExecutionTarget.Managed)[0], byDefault.Run(input)[0], 0, 0, "default runner vs lowered model");
        PassTester.AssertClose(PassTester.RunOn(quantized, input, ExecutionTarget.Managed)[0], simulating.Run(input)[0], 0, 0, "LowerQdq = false vs QDQ model");
        Assert.Contains(quantized.Graph.Nodes, n => n.OpType == "Conv");
    }
}
