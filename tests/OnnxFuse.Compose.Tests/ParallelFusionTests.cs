using OnnxFuse.Ir.Validation;
using OnnxFuse.Onnx;
using OnnxFuse.Runtime;
using static OnnxFuse.Compose.Tests.FusionHarness;

namespace OnnxFuse.Compose.Tests;

public sealed class ParallelFusionTests
{
    public static TheoryData<ExecutionTarget> Targets => [ExecutionTarget.Managed, ExecutionTarget.OnnxRuntime];

    [Theory, MemberData(nameof(Targets))]
    public void Fused_mlp_and_cnn_give_each_models_own_outputs(ExecutionTarget target)
    {
        var (mlp, cnn) = (Shared("vollo_mlp"), Shared("vollo_cnn"));

        var fused = ModelFusion.Fuse([mlp, cnn], new FusionOptions());

        GraphVerifier.Check(fused);
        Assert.Equal(["m0_input", "m1_input"], fused.Graph.Inputs.Select(i => i.Name));
        Assert.Equal(["m0_output", "m1_output"], fused.Graph.Outputs.Select(o => o.Name));
        var (mlpIn, cnnIn) = (RandomTensors.ForModel(mlp.Model, 1), RandomTensors.ForModel(cnn.Model, 2));
        var outputs = Run(fused, new Dictionary<string, Ir.Tensors.TensorData> { ["m0_input"] = mlpIn["input"], ["m1_input"] = cnnIn["input"] }, target);
        AssertSame(Run(mlp.Model, mlpIn, target)[0], outputs[0], target);
        AssertSame(Run(cnn.Model, cnnIn, target)[0], outputs[1], target);
    }

    [Fact]
    public void Three_models_fuse_in_model_order_and_survive_a_file_round_trip_on_both_targets()
    {
        var models = new[] { Shared("vollo_mlp"), Shared("vollo_cnn"), Shared("mobilenet_v2") };
        var path = Path.Combine(Path.GetTempPath(), $"onnxfuse-parallel3-{Guid.NewGuid():N}.onnx");

        try
        {
            ModelFile.Save(ModelFusion.Fuse(models, new FusionOptions()), path);
            var loaded = ModelFile.Load(path);

            GraphVerifier.Check(loaded);
            Assert.Equal(["m0_output", "m1_output", "logits"], loaded.Graph.Outputs.Select(o => o.Name));
            var alone = models.Select((m, i) => RandomTensors.ForModel(m.Model, 10 * i)).ToList();
            var feeds = new Dictionary<string, Ir.Tensors.TensorData>
            {
                ["m0_input"] = alone[0]["input"],
                ["m1_input"] = alone[1]["input"],
                ["m2_input"] = alone[2]["input"],
            };
            foreach (var target in new[] { ExecutionTarget.Managed, ExecutionTarget.OnnxRuntime })
            {
                // As written (no layer fusion at load): the fused graph must compute bit for bit what the parts do.
                using var runner = ModelRunner.Load(path, new RunnerOptions { Target = target, ManagedOptimization = null });
                var outputs = runner.Run(feeds);
                for (var i = 0; i < models.Length; i++)
                    AssertSame(Run(models[i].Model, alone[i], target)[0], outputs[i], target);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory, MemberData(nameof(Targets))]
    public void Shared_input_feeds_both_copies_of_the_mlp(ExecutionTarget target)
    {
        var first = Shared("vollo_mlp");
        var second = first with { Name = "vollo_mlp_again" };

        var fused = ModelFusion.Fuse([first, second], new FusionOptions { ShareInput = true });

        Assert.Equal("input", Assert.Single(fused.Graph.Inputs).Name);
        var feed = RandomTensors.ForModel(first.Model, 5);
        var expected = Run(first.Model, feed, target)[0];
        var outputs = Run(fused, feed, target);
        AssertSame(expected, outputs[0], target);
        AssertSame(expected, outputs[1], target);
    }

    [Fact]
    public void Shared_input_is_refused_when_shapes_differ_naming_both_models()
    {
        var error = Assert.Throws<Ir.Errors.ShapeMismatchException>(() =>
            ModelFusion.Fuse([Shared("vollo_mlp"), Shared("vollo_cnn")], new FusionOptions { ShareInput = true }));

        Assert.Contains("'vollo_cnn'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'vollo_mlp'", error.Message, StringComparison.Ordinal);
        Assert.Contains("rank", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Fusing_the_mlp_with_itself_stores_its_weights_once()
    {
        var mlp = Shared("vollo_mlp");
        var single = ModelFile.Serialize(mlp.Model).Length;

        var fused = ModelFusion.Fuse([mlp, mlp with { Name = "copy" }], new FusionOptions());

        Assert.Equal(mlp.Model.Graph.Initializers.Count, fused.Graph.Initializers.Count);
        var bytes = ModelFile.Serialize(fused).Length;
        Assert.True(bytes < single * 1.2, $"fused file is {bytes} bytes, one model is {single}");
        Assert.Equal(FusionMetadata.Read(fused)!.Models[0].WeightBytes, FusionMetadata.Read(fused)!.WeightBytes);
    }

    [Fact]
    public void Fewer_than_two_models_or_repeated_names_are_refused()
    {
        var mlp = Shared("vollo_mlp");

        Assert.Throws<FusionException>(() => ModelFusion.Fuse([mlp], new FusionOptions()));
        var error = Assert.Throws<FusionException>(() => ModelFusion.Fuse([mlp, mlp], new FusionOptions()));
        Assert.Contains("vollo_mlp", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Model_name_prefixes_are_used_when_asked()
    {
        var fused = ModelFusion.Fuse([Shared("vollo_mlp"), Shared("vollo_cnn")], new FusionOptions { Prefix = PrefixScheme.ModelName });

        Assert.Equal(["vollo_mlp_input", "vollo_cnn_input"], fused.Graph.Inputs.Select(i => i.Name));
        Assert.All(fused.Graph.Nodes, n => Assert.True(n.Name.StartsWith("vollo_", StringComparison.Ordinal), n.Name));
    }
}
