using OnnxFuse.Ir.Building;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Passes.Cleanup;
using OnnxFuse.Passes.Rewriting;
using OnnxFuse.Runtime.Optimization;

namespace OnnxFuse.Passes.Tests.Cleanup;

public sealed class ConstantFoldingTests
{
    static readonly OptimizerOptions s_withEngine = new() { ConstantEvaluator = EngineConstantEvaluator.Instance };

    static (Model Optimized, FusionReport Report) Fold(Model original, OptimizerOptions? options = null) =>
        PassTester.Run(original, options ?? s_withEngine, new ConstantFolding());

    /// <summary>y = x + Transpose(Reshape(Constant a, [3,2]) · b): everything but the Add is constant.</summary>
    static Model ConstantChain()
    {
        var b = new GraphBuilder(opset: 13);
        var x = b.Input("x", ElementType.Float, 2, 3);
        var a = b.Constant(TensorData.Create<float>([6], [1, 2, 3, 4, 5, 6]));
        var reshaped = b.Node("Reshape", [a, b.Initializer("shape", TensorData.Create<long>([2], [3, 2]))]);
        var scaled = b.Node("Mul", [reshaped, b.RandomInitializer("scale", 3, 3, 2)]);
        var transposed = b.Node("Transpose", [scaled], Attr.Ints("perm", [1, 0]));
        b.Output(b.Node("Add", [x, transposed]), "y");
        return b.Build();
    }

    [Fact]
    public void Folds_a_chain_of_constant_nodes_into_one_initializer_with_the_same_outputs()
    {
        var original = ConstantChain();

        var (folded, report) = Fold(original);

        // One fold per node; the Constant node feeding Reshape goes with it (nothing reads it any more).
        Assert.Equal(["Reshape", "Mul", "Transpose"], report.Applied.Select(r => string.Join('+', r.Replaced.Select(n => n.OpType))));
        Assert.Equal(["Add"], PassTester.OpTypes(folded));
        var constant = folded.Graph.Nodes[0].Input(1);
        Assert.True(constant.IsInitializer);
        Assert.Equal(original.Graph.Nodes.Single(n => n.OpType == "Transpose").Output(0).Name, constant.Name);
        // Oracle: the unfolded model; the folded values are computed by the same float32 ops.
        PassTester.AssertSameOutputs(original, folded, seed: 1, rtol: 1e-6f, atol: 1e-7f);
    }

    [Fact]
    public void A_folded_graph_output_keeps_its_name_on_both_targets()
    {
        var b = new GraphBuilder(opset: 13);
        var x = b.Input("x", ElementType.Float, 4);
        b.Output(b.Node("Relu", [x]), "y");
        b.Output(b.Node("Mul", [b.Constant(TensorData.Create<float>([2], [1, 2])), b.Constant(TensorData.Scalar(3f))]), "z");
        var original = b.Build();

        var (folded, _) = Fold(original);

        Assert.Equal(["Relu"], PassTester.OpTypes(folded));
        Assert.Equal(["y", "z"], folded.Graph.Outputs.Select(o => o.Name));
        Assert.Equal([3f, 6f], folded.Graph.Outputs[1].ConstantData!.ToArray<float>());
        PassTester.AssertSameOutputs(original, folded, seed: 2, rtol: 0, atol: 0);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Folds_inside_an_if_branch_that_reads_an_outer_constant(bool condition)
    {
        var b = new GraphBuilder(opset: 13);
        var x = b.Input("x", ElementType.Float, 2);
        var weight = b.Initializer("w", TensorData.Create<float>([2], [3, -4]));
        var then = b.Subgraph("then");
        then.Output(then.Node("Mul", [x, then.Node("Abs", [weight])]));
        var otherwise = b.Subgraph("else");
        otherwise.Output(otherwise.Node("Neg", [x]));
        var cond = b.Input("cond", ElementType.Bool);
        b.Output(b.Node("If", [cond], Attr.Graph("then_branch", then.Graph), Attr.Graph("else_branch", otherwise.Graph)), "y");
        var original = b.Build();

        var (folded, _) = Fold(original);

        var branch = folded.Graph.Nodes.Single().Subgraphs.First();
        Assert.Equal(["Mul"], branch.Nodes.Select(n => n.OpType));
        Assert.Equal([3f, 4f], Assert.Single(branch.Initializers).Initializer!.ToArray<float>());
        var inputs = new Dictionary<string, TensorData>
        {
            ["x"] = TensorData.Create<float>([2], [1.5f, -2f]),
            ["cond"] = TensorData.FromBytes(ElementType.Bool, [], new[] { condition ? (byte)1 : (byte)0 }),
        };
        PassTester.AssertSameOutputs(original, folded, rtol: 0, atol: 0, inputs: inputs);
    }

    [Fact]
    public void Does_nothing_without_an_evaluator()
    {
        var (folded, report) = Fold(ConstantChain(), new OptimizerOptions());

        Assert.Empty(report.Applied);
        Assert.Equal(["Constant", "Reshape", "Mul", "Transpose", "Add"], PassTester.OpTypes(folded));
    }

    [Fact]
    public void Leaves_an_initializer_that_is_also_a_graph_input_to_the_caller()
    {
        var b = new GraphBuilder(opset: 13);
        var x = b.Input("x", ElementType.Float, 2);
        var overridable = b.Input("bias", ElementType.Float, 2);
        b.Graph.AddInitializer("bias", TensorData.Create<float>([2], [1, 2]));
        b.Output(b.Node("Add", [x, b.Node("Neg", [overridable])]), "y");

        var (folded, report) = Fold(b.Build());

        Assert.Empty(report.Applied);
        Assert.Equal(["Neg", "Add"], PassTester.OpTypes(folded));
    }

    [Theory]
    [InlineData("RandomUniformLike")]
    [InlineData("RandomNormalLike")]
    [InlineData("Bernoulli")]
    public void Leaves_random_ops_alone(string opType)
    {
        var b = new GraphBuilder(opset: 15);
        var x = b.Input("x", ElementType.Float, 3);
        var probabilities = b.Initializer("p", TensorData.Create<float>([3], [0.5f, 0.5f, 0.5f]));
        b.Output(b.Node("Add", [x, b.Node(opType, [probabilities])]), "y");

        var (folded, report) = Fold(b.Build());

        Assert.Empty(report.Applied);
        Assert.Equal([opType, "Add"], PassTester.OpTypes(folded));
    }

    [Fact]
    public void Leaves_dequantize_linear_for_quantized_kernels()
    {
        var b = new GraphBuilder(opset: 13);
        var x = b.Input("x", ElementType.Float, 2);
        var weight = b.Node("DequantizeLinear", [b.Initializer("wq", TensorData.Create<sbyte>([2], [10, -20])),
            b.Initializer("w_scale", TensorData.Scalar(0.5f))]);
        b.Output(b.Node("Mul", [x, weight]), "y");

        var (folded, report) = Fold(b.Build());

        Assert.Empty(report.Applied);
        Assert.Equal(["DequantizeLinear", "Mul"], PassTester.OpTypes(folded));
    }

    [Theory]
    [InlineData(4, true)]      // 64 bytes: small results always fold
    [InlineData(256, false)]   // 256 KiB from a 4-byte scalar: left to the runtime
    public void Folds_an_expand_only_while_its_result_stays_small(long size, bool folds)
    {
        var b = new GraphBuilder(opset: 13);
        var x = b.Input("x", ElementType.Float, size, size);
        var shape = b.Initializer("shape", TensorData.Create<long>([2], [size, size]));
        b.Output(b.Node("Add", [x, b.Node("Expand", [b.Initializer("one", TensorData.Scalar(1f)), shape])]), "y");
        var original = b.Build();

        var (folded, _) = Fold(original);

        Assert.Equal(folds ? ["Add"] : ["Expand", "Add"], PassTester.OpTypes(folded));
        PassTester.AssertSameOutputs(original, folded, seed: 3, rtol: 0, atol: 0);
    }

    [Theory]
    [InlineData(false, true)]   // the weight is read only by the Transpose: folding frees as much as it adds
    [InlineData(true, false)]   // a second reader keeps the weight: folding would store 128 KiB twice
    public void Folds_a_transposed_weight_only_when_the_original_goes_away(bool secondReader, bool folds)
    {
        var b = new GraphBuilder(opset: 13);
        var x = b.Input("x", ElementType.Float, 1, 256);
        var weight = b.RandomInitializer("w", 5, 128, 256);
        b.Output(b.Node("MatMul", [x, b.Node("Transpose", [weight], Attr.Ints("perm", [1, 0]))]), "y");
        if (secondReader)
            b.Output(b.Node("MatMul", [b.Input("h", ElementType.Float, 1, 128), weight]), "z");
        var original = b.Build();

        var (folded, report) = Fold(original);

        Assert.Equal(folds, report.Applied.Count == 1);
        Assert.Equal(folds, !PassTester.OpTypes(folded).Contains("Transpose"));
        PassTester.AssertSameOutputs(original, folded, seed: 4);
    }

    [Fact]
    public void Leaves_nodes_with_a_computed_input_alone()
    {
        var b = new GraphBuilder(opset: 13);
        var x = b.Input("x", ElementType.Float, 2);
        b.Output(b.Node("Mul", [b.Node("Relu", [x]), b.Constant(TensorData.Scalar(2f))]), "y");

        var (folded, report) = Fold(b.Build());

        Assert.Empty(report.Applied);
        Assert.Equal(["Relu", "Constant", "Mul"], PassTester.OpTypes(folded));
    }

    [Fact]
    public void Refuses_a_result_that_contradicts_shape_inference()
    {
        var b = new GraphBuilder(opset: 13);
        var x = b.Input("x", ElementType.Float, 2);
        b.Output(b.Node("Add", [x, b.Node("Neg", [b.Initializer("c", TensorData.Create<float>([2], [1, 2]))])]), "y");

        var (folded, report) = Fold(b.Build(), new OptimizerOptions { ConstantEvaluator = new WrongShapeEvaluator() });

        Assert.Empty(report.Applied);
        Assert.Equal(["Neg", "Add"], PassTester.OpTypes(folded));
    }

    /// <summary>An evaluator that answers every node with a three-element tensor, whatever the node computes.</summary>
    sealed class WrongShapeEvaluator : IConstantEvaluator
    {
        public IReadOnlyList<TensorData?>? TryEvaluate(Node node, IReadOnlyList<TensorData?> inputs, long opset) =>
            [TensorData.Create<float>([3], [1, 2, 3])];
    }
}
