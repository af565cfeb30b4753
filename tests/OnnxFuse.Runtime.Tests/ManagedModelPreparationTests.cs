using OnnxFuse.Ir.Building;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Onnx;
using OnnxFuse.Passes.Quantization;
using OnnxFuse.Passes.Rewriting;
using OnnxFuse.Runtime.Optimization;
using OnnxFuse.Testing;

namespace OnnxFuse.Runtime.Tests;

public sealed class ManagedModelPreparationTests
{
    /// <summary>x → Conv → BatchNormalization → Relu → y: what conv-batchnorm and conv-activation fold into one FusedConv.</summary>
    static Model ConvBatchNormRelu()
    {
        var b = new GraphBuilder(opset: 13);
        var x = b.Input("x", ElementType.Float, 1, 3, 8, 8);
        var conv = b.Node("Conv", [x, b.RandomInitializer("w", 1, 4, 3, 3, 3)], Attr.Ints("pads", [1, 1, 1, 1]));
        var variance = b.Initializer("var", TensorData.Create<float>([4], [0.5f, 1.5f, 0.01f, 2f]));
        var normalized = b.Node("BatchNormalization",
            [conv, b.RandomInitializer("scale", 2, 4), b.RandomInitializer("bias", 3, 4), b.RandomInitializer("mean", 4, 4), variance]);
        b.Output(b.Node("Relu", [normalized]), "y");
        return b.Build();
    }

    static string[] OpTypes(Model model) => [.. model.Graph.Nodes.Select(n => n.OpType)];

    [Fact]
    public void By_default_the_managed_engine_runs_the_model_with_its_layers_fused()
    {
        var model = ConvBatchNormRelu();

        var prepared = ManagedModelPreparation.Prepare(model, new RunnerOptions());

        Assert.Equal(["FusedConv"], OpTypes(prepared));
        Assert.Equal(["Conv", "BatchNormalization", "Relu"], OpTypes(model));
    }

    [Fact]
    public void Fused_and_as_written_runs_agree()
    {
        // Oracle: the graph as written (ManagedOptimization = null); tolerance 1e-4 relative, 1e-5 absolute, layer fusion's bar.
        var model = ConvBatchNormRelu();
        var inputs = RandomTensors.ForModel(model, seed: 5);
        using var fused = ModelRunner.Create(model);
        using var asWritten = ModelRunner.Create(model, new RunnerOptions { ManagedOptimization = null });

        SharedModelData.AssertClose(asWritten.Run(inputs)[0], fused.Run(inputs)[0], rtol: 1e-4f, atol: 1e-5f);
    }

    [Fact]
    public void Disabled_runs_the_graph_as_written()
    {
        var model = ConvBatchNormRelu();

        Assert.Same(model, ManagedModelPreparation.Prepare(model, new RunnerOptions { ManagedOptimization = null }));
    }

    [Fact]
    public void The_basic_level_folds_batch_normalization_but_keeps_standard_ops()
    {
        var prepared = ManagedModelPreparation.Prepare(ConvBatchNormRelu(), new RunnerOptions { ManagedOptimization = OptimizationLevel.Basic });

        Assert.Equal(["Conv", "Relu"], OpTypes(prepared));
    }

    [Fact]
    public void A_qdq_model_is_lowered_to_int8_ops_before_layer_fusion_could_fold_its_weights_to_float()
    {
        var model = ModelFile.Load(TestPaths.SharedModel("vollo_cnn"));
        var config = QuantizationConfigReader.Load(Path.Combine(TestPaths.RepositoryRoot, "samples", "quant_vollo_cnn.yaml"));
        var samples = Enumerable.Range(1, 8).Select(seed => (IReadOnlyDictionary<string, TensorData>)RandomTensors.ForModel(model, seed)).ToList();
        var quantized = Quantizer.Quantize(model, config, new QuantizationOptions(EngineActivationObserver.Instance, samples)).Model;

        var prepared = ManagedModelPreparation.Prepare(quantized, new RunnerOptions());

        Assert.Equal(2, OpTypes(prepared).Count(op => op == "QLinearConv"));
        Assert.DoesNotContain("Conv", OpTypes(prepared));
        Assert.DoesNotContain("FusedConv", OpTypes(prepared));
    }
}
