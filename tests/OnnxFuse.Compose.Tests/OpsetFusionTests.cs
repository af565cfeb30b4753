using OnnxFuse.Ir.Building;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Validation;
using OnnxFuse.Runtime;
using static OnnxFuse.Compose.Tests.FusionHarness;

namespace OnnxFuse.Compose.Tests;

public sealed class OpsetFusionTests
{
    /// <summary>Opset 10 (the last with Clip's min/max attributes): Clip, Unsqueeze with axes, Softmax over axis 1 of a 3-D input.</summary>
    static Model OldModel()
    {
        var b = new GraphBuilder(opset: 10);
        var x = b.Input("x", ElementType.Float, 2, 3, 4);
        var clipped = b.Node("Clip", [x], Attr.Float("min", -0.5f), Attr.Float("max", 0.5f));
        var soft = b.Node("Softmax", [clipped], Attr.Int("axis", 1));
        var sum = b.Node("ReduceSum", [soft], Attr.Ints("axes", [2]), Attr.Int("keepdims", 0));
        b.Output(b.Node("Unsqueeze", [sum], Attr.Ints("axes", [0])), "y");
        return b.Build();
    }

    static Model NewModel()
    {
        var b = new GraphBuilder(opset: 13);
        var x = b.Input("x", ElementType.Float, 3);
        b.Output(b.Node("Relu", [x]), "r");
        return b.Build();
    }

    public static TheoryData<ExecutionTarget> Targets => [ExecutionTarget.Managed, ExecutionTarget.OnnxRuntime];

    [Theory, MemberData(nameof(Targets))]
    public void An_opset_10_model_is_converted_to_opset_13_with_the_same_outputs(ExecutionTarget target)
    {
        var old = OldModel();
        var random = new Random(5);
        var input = TensorData.Create<float>([2, 3, 4], [.. Enumerable.Range(0, 24).Select(_ => (float)(random.NextDouble() * 2 - 1))]);

        var fused = ModelFusion.Fuse([new FusionInput(old, "old"), new FusionInput(NewModel(), "new")], new FusionOptions());

        GraphVerifier.Check(fused);
        Assert.Equal(13, fused.OpsetImports.Default);
        Assert.Equal(10, FusionMetadata.Read(fused)!.Models[0].Opset);
        var clip = Assert.Single(fused.Graph.Nodes, n => n.OpType == "Clip");
        Assert.Empty(clip.Attributes);
        Assert.Equal(3, clip.Inputs.Count);
        Assert.DoesNotContain(fused.Graph.Nodes, n => n.HasAttr("axes"));
        var outputs = Run(fused, new Dictionary<string, TensorData>
        {
            ["m0_x"] = input,
            ["m1_x"] = TensorData.Create<float>([3], [1f, -1f, 2f]),
        }, target);
        // Oracle: the unconverted opset-10 model on the same target; the Softmax rewrite reorders nothing, so 1e-5 holds.
        var expected = Run(old, new Dictionary<string, TensorData> { ["x"] = input }, target)[0];
        AssertSame(expected, outputs[0], ExecutionTarget.OnnxRuntime);
    }

    [Fact]
    public void An_op_whose_definition_changed_without_a_conversion_is_refused_naming_node_and_versions()
    {
        var b = new GraphBuilder(opset: 10);
        var x = b.Input("x", ElementType.Float, 1, 1, 2, 2);
        b.Output(b.Node("Resize", [x, b.Constant(TensorData.Create<float>([4], [1, 1, 2, 2]))]), "y");
        b.LastNode!.Name = "upscale";
        var resize10 = b.Build();

        var error = Assert.Throws<UnsupportedOpException>(() =>
            ModelFusion.Fuse([new FusionInput(resize10, "old"), new FusionInput(NewModel(), "new")], new FusionOptions()));

        Assert.Contains("'old'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'upscale'", error.Message, StringComparison.Ordinal);
        Assert.Contains("opset 10 to 13", error.Message, StringComparison.Ordinal);
    }
}
