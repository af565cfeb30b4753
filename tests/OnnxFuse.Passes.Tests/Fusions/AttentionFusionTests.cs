using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Onnx;
using OnnxFuse.Passes.Fusions;
using OnnxFuse.Passes.Rewriting;
using OnnxFuse.Runtime;
using OnnxFuse.Testing;

namespace OnnxFuse.Passes.Tests.Fusions;

/// <summary>
/// Numerics on both targets (the managed engine's Attention kernel and ONNX Runtime's, its optimizations disabled).
/// Oracle: the unfused block on the same target; tolerance 1e-4 relative + 1e-5 absolute.
/// </summary>
public sealed class AttentionFusionTests
{

    /// <summary>Inputs whose mask pads the last two tokens of the first sequence and one of the second.</summary>
    static Dictionary<string, TensorData> PaddedInputs(Model model)
    {
        var random = new Random(5);
        var x = new float[2 * 5 * 8];
        for (var i = 0; i < x.Length; i++)
            x[i] = (random.NextSingle() * 2) - 1;
        var inputs = new Dictionary<string, TensorData> { ["x"] = TensorData.Create<float>([2, 5, 8], x) };
        if (model.Graph.Inputs.Any(i => i.Name == "mask"))
            inputs["mask"] = TensorData.Create<long>([2, 5], [1, 1, 1, 0, 0, 1, 0, 1, 1, 1]);
        return inputs;
    }

    static Node FusedAttention(Model model) => Assert.Single(model.Graph.Nodes, n => n.OpType == "Attention");

    [Theory]
    [InlineData("div", 2f)]
    [InlineData("mul", 0.5f)]
    [InlineData("query", 0.5f)]
    public void Fuses_an_unmasked_block_with_the_default_scale_however_it_is_written(string scale, float constant)
    {
        var original = new AttentionBlock { Scale = scale, ScaleConstant = constant }.Build();

        var (fused, report) = PassTester.Run(original, new AttentionFusion());

        Assert.Single(report.Applied);
        Assert.Equal(["com.microsoft.Attention"], PassTester.OpTypes(fused));
        Assert.Equal("y", fused.Graph.Outputs[0].Name);
        var attention = FusedAttention(fused);
        Assert.Equal(2, attention.GetInt("num_heads", 0));
        Assert.False(attention.HasAttr("scale"));
        Assert.Equal(3, attention.Inputs.Count);
        PassTester.AssertSameOutputs(original, fused, seed: 2);
    }

    [Theory]
    [InlineData(-10000f)]
    [InlineData(float.MinValue)]
    public void Fuses_a_padding_mask_into_mask_index_with_the_exported_filter_value(float maskValue)
    {
        var original = new AttentionBlock { Mask = true, MaskValue = maskValue }.Build();

        var (fused, report) = PassTester.Run(original, new AttentionFusion());

        Assert.Single(report.Applied);
        Assert.Equal(["Cast", "com.microsoft.Attention"], PassTester.OpTypes(fused));
        var attention = FusedAttention(fused);
        Assert.Equal("mask", attention.Input(3).Producer!.Input(0).Name);
        Assert.Equal(maskValue == -10000f ? null : maskValue, attention.FindAttr("mask_filter_value")?.AsFloat());
        PassTester.AssertSameOutputs(original, fused, inputs: PaddedInputs(original));
        PassTester.AssertSameOutputs(original, fused, seed: 9);
    }

    [Fact]
    public void Writes_the_scale_when_it_is_not_one_over_the_root_of_the_head_size()
    {
        var original = new AttentionBlock { Scale = "div", ScaleConstant = 3f, Mask = true }.Build();

        var (fused, _) = PassTester.Run(original, new AttentionFusion());

        Assert.Equal(1f / 3, FusedAttention(fused).GetFloat("scale", 0), 6);
        PassTester.AssertSameOutputs(original, fused, inputs: PaddedInputs(original));
    }

    [Fact]
    public void Writes_scale_one_for_a_block_without_scaling()
    {
        var original = new AttentionBlock { Scale = "none" }.Build();

        var (fused, _) = PassTester.Run(original, new AttentionFusion());

        Assert.Equal(1f, FusedAttention(fused).GetFloat("scale", 0));
        PassTester.AssertSameOutputs(original, fused, seed: 3);
    }

    [Fact]
    public void Fuses_a_key_transposed_in_two_steps_with_weights_in_constant_nodes()
    {
        var original = new AttentionBlock { KeyTwoTransposes = true, ConstantNodes = true, Mask = true }.Build();

        var (fused, report) = PassTester.Run(original, new AttentionFusion());

        Assert.Single(report.Applied);
        Assert.Equal(["Cast", "com.microsoft.Attention"], PassTester.OpTypes(fused));
        PassTester.AssertSameOutputs(original, fused, inputs: PaddedInputs(original));
    }

    [Fact]
    public void Fuses_projections_without_bias_into_an_attention_with_a_zero_bias()
    {
        var original = new AttentionBlock { WithoutBias = true }.Build();

        var (fused, _) = PassTester.Run(original, new AttentionFusion());

        Assert.All(FusedAttention(fused).Input(2).ConstantData!.ToArray<float>(), b => Assert.Equal(0f, b));
        PassTester.AssertSameOutputs(original, fused, seed: 4);
    }

    [Fact]
    public void Fuses_a_query_projected_by_a_plain_fused_matmul()
    {
        var original = new AttentionBlock { FusedMatMulQuery = true, Mask = true }.Build();

        var (fused, report) = PassTester.Run(original, new AttentionFusion());

        Assert.Single(report.Applied);
        PassTester.AssertSameOutputs(original, fused, inputs: PaddedInputs(original));
    }

    [Fact]
    public void Reads_heads_from_inferred_shapes_when_the_export_computes_the_reshape_targets()
    {
        var original = new AttentionBlock { DynamicShapes = true, Mask = true }.Build();

        var (fused, report) = PassTester.Run(original, new AttentionFusion());

        Assert.Single(report.Applied);
        Assert.Equal(["Cast", "com.microsoft.Attention"], PassTester.OpTypes(fused));
        PassTester.AssertSameOutputs(original, fused, inputs: PaddedInputs(original));
    }

    [Theory]
    [InlineData(11L, 3L)]
    [InlineData(11L, -1L)]
    [InlineData(17L, 3L)]
    public void Fuses_a_softmax_over_the_last_axis_at_any_opset(long opset, long axis)
    {
        var original = new AttentionBlock { Opset = opset, SoftmaxAxis = axis, Mask = true }.Build();

        var (fused, report) = PassTester.Run(original, new AttentionFusion());

        Assert.Single(report.Applied);
        PassTester.AssertSameOutputs(original, fused, inputs: PaddedInputs(original));
    }

    static readonly Dictionary<string, AttentionBlock> s_nearMisses = new()
    {
        { "probabilities read outside the block", new AttentionBlock { SoftmaxIsAlsoOutput = true } },
        { "query projection read outside the block", new AttentionBlock { QueryProjectionIsAlsoOutput = true } },
        { "key weight is a graph input", new AttentionBlock { KeyWeightIsInput = true } },
        { "heads · head size ≠ hidden", new AttentionBlock { HeadShape = [2, 10, 2, 2] } },
        { "output transpose is not (0, 2, 1, 3)", new AttentionBlock { OutputPerm = [0, 1, 2, 3] } },
        { "softmax over the query axis", new AttentionBlock { SoftmaxAxis = 2 } },
        { "opset 11 softmax with its default axis 1", new AttentionBlock { Opset = 11, SoftmaxAxis = null } },
        { "cross-attention", new AttentionBlock { CrossAttention = true } },
        { "additive mask given as a float input", new AttentionBlock { FloatMaskInput = true } },
        { "mask chain subtracts from 2", new AttentionBlock { Mask = true, MaskOne = 2f } },
        { "mask constant is −∞", new AttentionBlock { Mask = true, MaskValue = float.NegativeInfinity } },
        { "value scaled", new AttentionBlock { Scale = "value", ScaleConstant = 0.5f } },
    };

    public static TheoryData<string> NearMisses => [.. s_nearMisses.Keys];

    [Theory]
    [MemberData(nameof(NearMisses))]
    public void Leaves_near_misses_alone(string nearMiss)
    {
        var original = s_nearMisses[nearMiss].Build();

        var (fused, report) = PassTester.Run(original, new AttentionFusion());

        Assert.True(report.Applied.Count == 0, nearMiss);
        Assert.Equal(PassTester.OpTypes(original), PassTester.OpTypes(fused));
    }

    [Fact]
    public void Refuses_when_only_standard_ops_are_allowed()
    {
        var original = new AttentionBlock { Mask = true }.Build();

        var (_, report) = PassTester.Run(original, new OptimizerOptions { StandardOnly = true }, new AttentionFusion());

        Assert.Empty(report.Applied);
    }

    [Theory]
    [InlineData("bert_mini_op13")]
    [InlineData("bert_mini_op17")]
    public void Fuses_every_layer_of_bert_mini_and_keeps_its_reference_output(string name)
    {
        var original = ModelFile.Load(TestPaths.SharedModel(name));
        var inputs = SharedModelReference.Inputs(name, original);
        var reference = SharedModelReference.Outputs(name)[0];

        var (fused, report) = PassTester.Run(original, new AttentionFusion());

        Assert.Equal(4, report.Applied.Count);
        var ops = PassTester.OpTypes(fused);
        Assert.Equal(4, ops.Count(op => op == "com.microsoft.Attention"));
        Assert.DoesNotContain("Softmax", ops);
        Assert.Single(ops, op => op == "Cast");
        // Oracle: PyTorch's output; the unfused model on ORT already differs from it by float32 rounding.
        foreach (var target in new[] { ExecutionTarget.Managed, ExecutionTarget.OnnxRuntime })
            PassTester.AssertClose(reference, PassTester.RunOn(fused, inputs, target)[0], rtol: 1e-4f, atol: 1e-5f, $"{name} fused on {target}");
        inputs["attention_mask"] = TensorData.Create<long>([1, 128], [.. Enumerable.Range(0, 128).Select(i => i < 100 ? 1L : 0L)]);
        PassTester.AssertSameOutputs(original, fused, inputs: inputs);
    }
}
