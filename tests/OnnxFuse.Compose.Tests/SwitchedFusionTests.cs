using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Validation;
using OnnxFuse.Onnx;
using OnnxFuse.Ort;
using OnnxFuse.Runtime;
using static OnnxFuse.Compose.Tests.FusionHarness;

namespace OnnxFuse.Compose.Tests;

public sealed class SwitchedFusionTests
{
    public static TheoryData<ExecutionTarget> Targets => [ExecutionTarget.Managed, ExecutionTarget.OnnxRuntime];

    static TensorData Index(long value) => TensorData.Scalar(value);

    [Theory, MemberData(nameof(Targets))]
    public void Each_index_runs_only_its_model_and_the_others_outputs_are_empty(ExecutionTarget target)
    {
        var models = new[] { Shared("vollo_mlp"), Shared("vollo_cnn"), Shared("mobilenet_v2") };

        var fused = ModelFusion.Fuse(models, new FusionOptions { Mode = FusionMode.Switched });

        GraphVerifier.Check(fused);
        Assert.Equal(["index", "m0_input", "m1_input", "m2_input"], fused.Graph.Inputs.Select(i => i.Name));
        Assert.Equal(3, fused.Graph.Initializers.Count(i => i.IsGraphInput));
        for (var k = 0; k < models.Length; k++)
        {
            var alone = RandomTensors.ForModel(models[k].Model, 3 * k);
            var feeds = new Dictionary<string, TensorData> { ["index"] = Index(k), [$"m{k}_input"] = alone["input"] };

            var outputs = Run(fused, feeds, target);

            Assert.Equal(3, outputs.Count);
            for (var j = 0; j < outputs.Count; j++)
            {
                if (j == k)
                    AssertSame(Run(models[k].Model, alone, target)[0], outputs[j], target);
                else
                    AssertEmpty(outputs[j]);
            }
        }
    }

    [Theory, MemberData(nameof(Targets))]
    public void An_index_out_of_range_makes_every_output_empty(ExecutionTarget target)
    {
        var fused = ModelFusion.Fuse([Shared("vollo_mlp"), Shared("vollo_cnn")], new FusionOptions { Mode = FusionMode.Switched });

        foreach (var index in new long[] { 2, -1 })
        {
            var outputs = Run(fused, new Dictionary<string, TensorData> { ["index"] = Index(index) }, target);
            Assert.All(outputs, AssertEmpty);
        }
    }

    [Theory]
    [InlineData(GraphOptimizationLevel.Disabled)]
    [InlineData(GraphOptimizationLevel.All)]
    public void Onnx_runtime_uses_a_fed_input_over_its_zero_default(GraphOptimizationLevel level)
    {
        // Oracle: the mlp alone on ONNX Runtime; a constant-folded default would give the zero-input result instead.
        var mlp = Shared("vollo_mlp");
        var fused = ModelFusion.Fuse([mlp, Shared("vollo_cnn")], new FusionOptions { Mode = FusionMode.Switched });
        var alone = RandomTensors.ForModel(mlp.Model, 42);
        var zeros = new Dictionary<string, TensorData> { ["input"] = TensorData.FromBytes(ElementType.Float, [784], new byte[784 * 4]) };

        var fed = Run(fused, new Dictionary<string, TensorData> { ["index"] = Index(0), ["m0_input"] = alone["input"] }, ExecutionTarget.OnnxRuntime, level);
        var defaulted = Run(fused, new Dictionary<string, TensorData> { ["index"] = Index(0) }, ExecutionTarget.OnnxRuntime, level);

        AssertSame(Run(mlp.Model, alone, ExecutionTarget.OnnxRuntime, level)[0], fed[0], ExecutionTarget.OnnxRuntime);
        AssertSame(Run(mlp.Model, zeros, ExecutionTarget.OnnxRuntime, level)[0], defaulted[0], ExecutionTarget.OnnxRuntime);
        Assert.False(fed[0].ContentEquals(defaulted[0]));
    }

    [Fact]
    public void Switched_model_round_trips_through_a_file_and_loads_in_both_runners()
    {
        var (mlp, cnn) = (Shared("vollo_mlp"), Shared("vollo_cnn"));
        var path = Path.Combine(Path.GetTempPath(), $"onnxfuse-switched-{Guid.NewGuid():N}.onnx");
        try
        {
            ModelFile.Save(ModelFusion.Fuse([mlp, cnn], new FusionOptions { Mode = FusionMode.Switched, IndexName = "which" }), path);
            var loaded = ModelFile.Load(path);
            GraphVerifier.Check(loaded);
            Assert.Equal("switched", FusionMetadata.Read(loaded)!.Mode);
            var alone = RandomTensors.ForModel(cnn.Model, 9);
            var feeds = new Dictionary<string, TensorData> { ["which"] = Index(1), ["m1_input"] = alone["input"] };
            foreach (var target in new[] { ExecutionTarget.Managed, ExecutionTarget.OnnxRuntime })
            {
                // As written (no layer fusion at load): the fused graph must compute bit for bit what the parts do.
                using var runner = ModelRunner.Load(path, new RunnerOptions { Target = target, ManagedOptimization = null });
                Assert.Equal([false, true, true], runner.Inputs.Select(i => i.HasDefault));
                var outputs = runner.Run(feeds);
                AssertEmpty(outputs[0]);
                AssertSame(Run(cnn.Model, alone, target)[0], outputs[1], target);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Switched_fusion_of_the_mlp_with_itself_shares_input_and_weights()
    {
        var mlp = Shared("vollo_mlp");

        var fused = ModelFusion.Fuse([mlp, mlp with { Name = "again" }], new FusionOptions { Mode = FusionMode.Switched, ShareInput = true });

        Assert.Equal(["index", "input"], fused.Graph.Inputs.Select(i => i.Name));
        Assert.Equal(mlp.Model.Graph.Initializers.Count, fused.Graph.Initializers.Count);
        var feed = RandomTensors.ForModel(mlp.Model, 4);
        var outputs = Run(fused, new Dictionary<string, TensorData>(feed) { ["index"] = Index(1) }, ExecutionTarget.Managed);
        AssertEmpty(outputs[0]);
        AssertSame(Run(mlp.Model, feed, ExecutionTarget.Managed)[0], outputs[1], ExecutionTarget.Managed);
    }

    [Fact]
    public void Metadata_records_index_names_hashes_and_memory_figures()
    {
        var mlp = Shared("vollo_mlp") with { Sha256 = "abc" };

        var fused = ModelFusion.Fuse([mlp, Shared("vollo_cnn")], new FusionOptions { Mode = FusionMode.Switched });
        var metadata = FusionMetadata.Read(fused)!;

        Assert.Equal("index", metadata.IndexName);
        Assert.Equal([0, 1], metadata.Models.Select(m => m.Index));
        Assert.Equal("abc", metadata.Models[0].Sha256);
        Assert.Equal(new FusedName("m1_output", "output"), metadata.Models[1].Outputs[0]);
        Assert.All(metadata.Models, m => Assert.True(m.WeightBytes > 0 && m.PeakActivationBytes > 0));
        Assert.Equal(metadata.Models.Max(m => m.PeakActivationBytes), metadata.PeakActivationBytes);
        Assert.Equal(metadata.WeightBytes + metadata.PeakActivationBytes, metadata.EstimatedBytes);
    }
}
