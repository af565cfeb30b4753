using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Testing;

namespace OnnxFuse.Runtime.Tests;

public sealed class ModelRunnerTests
{
    public static TheoryData<ExecutionTarget> Targets => [ExecutionTarget.Managed, ExecutionTarget.OnnxRuntime];

    public static TheoryData<string> SharedModels => [.. TestPaths.SharedModelNames];

    [Theory, MemberData(nameof(Targets))]
    public void Set_input_run_and_get_output_reproduce_the_reference_outputs(ExecutionTarget target)
    {
        // Oracle: PyTorch's outputs stored beside the model; tolerance 1e-4 relative, 1e-5 absolute.
        using var runner = ModelRunner.Load(TestPaths.SharedModel("vollo_mlp"), new RunnerOptions { Target = target, ThreadCount = 1 });
        var input = OnnxFuse.Onnx.TensorFile.Load(Path.Combine(SharedModelData.Folder("vollo_mlp"), "input_0.pb"));

        runner.SetInput(runner.Inputs[0].Name, input).Run();

        var expected = SharedModelData.ReferenceOutputs("vollo_mlp")[0];
        SharedModelData.AssertClose(expected, runner.GetOutput(0), rtol: 1e-4f, atol: 1e-5f);
        Assert.Same(runner.GetOutput(0), runner.GetOutput(runner.Outputs[0].Name));
        Assert.Equal(target, runner.Target);
    }

    [Theory, MemberData(nameof(SharedModels))]
    public void Managed_engine_and_onnx_runtime_agree_on_every_shared_model(string name)
    {
        // Oracle: ONNX Runtime (all optimizations) on the same inputs; tolerance 1e-4 relative, 1e-5 absolute.
        var inputs = RandomInputs(name);
        using var managed = ModelRunner.Load(TestPaths.SharedModel(name), new RunnerOptions { Target = ExecutionTarget.Managed });
        using var ort = ModelRunner.Load(TestPaths.SharedModel(name), new RunnerOptions { Target = ExecutionTarget.OnnxRuntime });

        var fromManaged = managed.Run(inputs);
        var fromOrt = ort.Run(inputs);

        Assert.Equal(fromOrt.Count, fromManaged.Count);
        for (var i = 0; i < fromOrt.Count; i++)
            SharedModelData.AssertClose(fromOrt[i], fromManaged[i], rtol: 1e-4f, atol: 1e-5f);
    }

    [Theory, MemberData(nameof(Targets))]
    public void Both_targets_describe_inputs_and_outputs_alike(ExecutionTarget target)
    {
        using var runner = ModelRunner.Load(TestPaths.SharedModel("bert_mini_op13"), new RunnerOptions { Target = target });

        Assert.Equal(["input_ids", "token_type_ids", "attention_mask"], runner.Inputs.Select(i => i.Name));
        Assert.All(runner.Inputs, i => Assert.Equal(ElementType.Int64, i.ElementType));
        Assert.Equal("last_hidden_state: float32[1,128,256]", Assert.Single(runner.Outputs).ToString());
    }

    [Theory, MemberData(nameof(Targets))]
    public void Running_with_an_input_not_set_names_the_missing_input(ExecutionTarget target)
    {
        using var runner = ModelRunner.Load(TestPaths.SharedModel("bert_mini_op13"), new RunnerOptions { Target = target });
        runner.SetInput("input_ids", TensorData.Create<long>([1, 128], new long[128]));

        var error = Assert.Throws<ShapeMismatchException>(() => runner.Run());

        Assert.Contains("token_type_ids", error.Message, StringComparison.Ordinal);
        Assert.Contains("attention_mask", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Setting_an_unknown_input_lists_the_real_ones()
    {
        using var runner = ModelRunner.Load(TestPaths.SharedModel("vollo_mlp"));

        var error = Assert.Throws<ShapeMismatchException>(() => runner.SetInput("nope", TensorData.Scalar(1f)));

        Assert.Contains("no input 'nope'", error.Message, StringComparison.Ordinal);
        Assert.Contains("input: float32[784]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reading_an_output_before_running_is_refused()
    {
        using var runner = ModelRunner.Load(TestPaths.SharedModel("vollo_mlp"));

        Assert.Throws<InvalidOperationException>(() => runner.GetOutput(0));
    }

    static Dictionary<string, TensorData> RandomInputs(string name)
    {
        using var probe = ModelRunner.Load(TestPaths.SharedModel(name));
        return probe.Inputs.Select((input, i) => (input.Name, Data: RandomTensors.For(input, seed: 10 + i)))
            .ToDictionary(p => p.Name, p => p.Data, StringComparer.Ordinal);
    }
}
