using OnnxFuse.Ir.Building;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Validation;
using OnnxFuse.Onnx;
using OnnxFuse.Runtime;
using static OnnxFuse.Compose.Tests.FusionHarness;

namespace OnnxFuse.Compose.Tests;

/// <summary>What real files do: If nodes with the same inner names, odd value names, Constant weights, equal output names.</summary>
public sealed class MessyModelFusionTests
{
    public static TheoryData<FusionMode, ExecutionTarget> Layouts => new()
    {
        { FusionMode.Parallel, ExecutionTarget.Managed },
        { FusionMode.Parallel, ExecutionTarget.OnnxRuntime },
        { FusionMode.Switched, ExecutionTarget.Managed },
        { FusionMode.Switched, ExecutionTarget.OnnxRuntime },
    };

    /// <summary>y = If(sum(x) > 0, x * w, x - w), w a weight captured by both branches; inner names fixed, so two copies clash.</summary>
    static Model IfModel(float scale, string outputName = "y")
    {
        var b = new GraphBuilder(opset: 13);
        var x = b.Input("x", ElementType.Float, 4);
        var w = b.Initializer("w", TensorData.Create<float>([4], [scale, 2 * scale, 3 * scale, 4 * scale]));
        var total = b.Node("ReduceSum", [x], Attr.Int("keepdims", 0));
        var positive = b.Node("Greater", [total, b.Constant(TensorData.Scalar(0f))]);
        var then = b.Subgraph("then");
        then.Output(then.Node("Mul", [x, w]), "inner/0:out");
        var otherwise = b.Subgraph("else");
        otherwise.Output(otherwise.Node("Sub", [x, w]), "1234");
        var branch = b.Node("If", [positive], Attr.Graph("then_branch", then.Graph), Attr.Graph("else_branch", otherwise.Graph));
        b.Output(branch, outputName);
        return b.Build();
    }

    /// <summary>z = Relu(x · W + B) with W and B in Constant nodes and value names of digits, '/' and ':'.</summary>
    static Model ConstantWeightModel(int seed, string outputName = "y")
    {
        var b = new GraphBuilder(opset: 13);
        var x = b.Input("0", ElementType.Float, 1, 4);
        var random = new Random(seed);
        var weights = Enumerable.Range(0, 12).Select(_ => (float)random.NextDouble()).ToArray();
        var w = b.Constant(TensorData.Create<float>([4, 3], weights));
        var bias = b.Constant(TensorData.Create<float>([3], [0.1f, -0.2f, 0.3f]));
        var product = b.Node("MatMul", [x, w]);
        product.Name = "layer/0:matmul";
        var sum = b.Node("Add", [product, bias]);
        sum.Name = "7";
        b.Output(b.Node("Relu", [sum]), outputName);
        return b.Build();
    }

    static Dictionary<string, TensorData> Vector(string name, params float[] values) =>
        new() { [name] = TensorData.Create<float>([values.Length], values) };

    [Theory, MemberData(nameof(Layouts))]
    public void Models_with_clashing_if_subgraph_names_fuse_and_keep_their_results(FusionMode mode, ExecutionTarget target)
    {
        var (a, b) = (IfModel(1f), IfModel(10f));

        var fused = ModelFusion.Fuse([new FusionInput(a, "a"), new FusionInput(b, "b")], new FusionOptions { Mode = mode });

        GraphVerifier.Check(ModelFile.Parse(new MemoryStream(ModelFile.Serialize(fused)), "fused", null));
        Assert.Equal(["m0_y", "m1_y"], fused.Graph.Outputs.Select(o => o.Name));
        foreach (var input in new[] { new float[] { 1, 2, 3, 4 }, [-1, -2, -3, -4] })
        {
            var x = TensorData.Create<float>([4], input);
            for (var k = 0; k < 2; k++)
            {
                var feeds = mode == FusionMode.Switched
                    ? new Dictionary<string, TensorData> { ["index"] = TensorData.Scalar((long)k), [$"m{k}_x"] = x }
                    : new Dictionary<string, TensorData> { ["m0_x"] = x, ["m1_x"] = x };
                var outputs = Run(fused, feeds, target);
                AssertSame(Run(k == 0 ? a : b, Vector("x", input), target)[0], outputs[k], target);
            }
        }
    }

    [Theory, MemberData(nameof(Layouts))]
    public void Constant_node_weights_and_odd_value_names_survive_fusion(FusionMode mode, ExecutionTarget target)
    {
        var (a, b) = (ConstantWeightModel(1, "out:0"), ConstantWeightModel(2, "logits"));
        var input = TensorData.Create<float>([1, 4], [0.5f, -1f, 2f, 0.25f]);

        var fused = ModelFusion.Fuse([new FusionInput(a, "a"), new FusionInput(b, "b")], new FusionOptions { Mode = mode });

        GraphVerifier.Check(fused);
        Assert.Equal(["out:0", "logits"], fused.Graph.Outputs.Select(o => o.Name));
        var feeds = new Dictionary<string, TensorData> { ["m1_0"] = input };
        if (mode == FusionMode.Switched)
            feeds["index"] = TensorData.Scalar(1L);
        else
            feeds["m0_0"] = input;
        var outputs = Run(fused, feeds, target);
        AssertSame(Run(b, new Dictionary<string, TensorData> { ["0"] = input }, target)[0], outputs[1], target);
    }

    [Fact]
    public void Identical_constant_node_weights_are_stored_once()
    {
        var model = ConstantWeightModel(3);

        var fused = ModelFusion.Fuse([new FusionInput(model, "a"), new FusionInput(model, "b")], new FusionOptions());

        Assert.Equal(2, fused.Graph.Initializers.Count);
        Assert.DoesNotContain(fused.Graph.Nodes, n => n.OpType == "Constant");
    }

    [Fact]
    public void An_output_that_is_an_input_gets_its_own_name()
    {
        var b = new GraphBuilder(opset: 13);
        var x = b.Input("x", ElementType.Float, 2);
        b.Output(x);
        b.Output(b.Node("Neg", [x]), "y");
        var passthrough = b.Build();

        var fused = ModelFusion.Fuse([new FusionInput(passthrough, "p"), new FusionInput(IfModel(1f, "z"), "q")], new FusionOptions());

        GraphVerifier.Check(fused);
        Assert.Equal(["m0_x", "m1_x"], fused.Graph.Inputs.Select(i => i.Name));
        Assert.Equal(["m0_x_1", "y", "z"], fused.Graph.Outputs.Select(o => o.Name));
    }
}
