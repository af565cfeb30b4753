using OnnxFuse.Compose;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Onnx;
using OnnxFuse.Testing;

namespace OnnxFuse.Runtime.Tests;

public sealed class SwitchedModelRunnerTests
{
    static Model Load(string name) => ModelFile.Load(TestPaths.SharedModel(name));

    static Model Switched() => ModelFusion.Fuse(
        [new FusionInput(Load("vollo_mlp"), "mlp"), new FusionInput(Load("vollo_cnn"), "cnn")],
        new FusionOptions { Mode = FusionMode.Switched });

    static TensorData Input(Model model, int seed)
    {
        var input = model.Graph.Inputs[0];
        return RandomTensors.For(new ValueDescription(input.Name, input.ElementType!.Value, input.Shape), seed);
    }

    [Theory]
    [InlineData(ExecutionTarget.Managed)]
    [InlineData(ExecutionTarget.OnnxRuntime)]
    public void Each_index_gives_exactly_what_its_model_gives_alone(ExecutionTarget target)
    {
        using var switched = SwitchedModelRunner.Create(Switched(), new RunnerOptions { Target = target });

        foreach (var (index, name) in new[] { (1, "vollo_cnn"), (0, "vollo_mlp"), (1, "vollo_cnn") })
        {
            var alone = Load(name);
            var input = Input(alone, seed: index + 5);
            using var single = ModelRunner.Create(alone, new RunnerOptions { Target = target });

            var expected = single.Run(new Dictionary<string, TensorData> { [alone.Graph.Inputs[0].Name] = input });
            var actual = switched.Run(index, new Dictionary<string, TensorData> { [alone.Graph.Inputs[0].Name] = input });

            Assert.Equal(expected.Count, actual.Count);
            for (var i = 0; i < expected.Count; i++)
            {
                Assert.Equal(expected[i].Dims, actual[i].Dims);
                // Same kernels on the same data: the branch runs exactly the original graph.
                Assert.Equal(expected[i].AsSpan<float>().ToArray(), actual[i].AsSpan<float>().ToArray());
            }
        }
        Assert.Equal(["mlp", "cnn"], switched.ModelNames);
    }

    [Fact]
    public void An_index_out_of_range_is_a_clear_error_listing_the_models()
    {
        using var switched = SwitchedModelRunner.Create(Switched());

        var error = Assert.Throws<FusionException>(() => switched.Run(2, new Dictionary<string, TensorData>()));

        Assert.Contains("model index 2 is out of range", error.Message, StringComparison.Ordinal);
        Assert.Contains("mlp, cnn", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_input_of_another_model_is_refused_naming_the_inputs_it_has()
    {
        using var switched = SwitchedModelRunner.Create(Switched());

        var error = Assert.Throws<ShapeMismatchException>(() => switched.Run(0, new Dictionary<string, TensorData> { ["nope"] = TensorData.Scalar(1f) }));

        Assert.Contains("has no input 'nope'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_model_that_is_not_switched_is_refused()
    {
        var error = Assert.Throws<FusionException>(() => SwitchedModelRunner.Create(Load("vollo_mlp")));

        Assert.Contains("needs a switched fused model", error.Message, StringComparison.Ordinal);
    }
}
