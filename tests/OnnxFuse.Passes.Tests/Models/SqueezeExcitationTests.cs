using OnnxFuse.Ir.Building;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Passes.Rewriting;
using OnnxFuse.Runtime.Optimization;

namespace OnnxFuse.Passes.Tests.Models;

/// <summary>
/// Every pass together (level all) on squeeze-excitation blocks as MobileNetV3 and EfficientNet export them:
/// <code>
///   y = Conv 3×3 [→ BatchNormalization] → Relu            (the main path, y [1, 16, 9, 9])
///   g = GlobalAveragePool(y) → Conv 1×1 (16 → 4) → Relu | SiLU → Conv 1×1 (4 → 16) → Sigmoid | HardSigmoid
///   out = Mul(y, g)
/// </code>
/// Fusing an SE block means fusing its convolutions with their activations; the pooling and the broadcast Mul stay,
/// since neither ONNX nor ONNX Runtime has a squeeze-excitation op. Oracle: the unfused model on the same target
/// (managed engine and ONNX Runtime, its optimizations disabled); tolerance 1e-4 relative + 1e-5 absolute.
/// </summary>
public sealed class SqueezeExcitationTests
{
    sealed record Block(bool BatchNorm = false, bool ConstantNodes = false, string Squeeze = "Relu", string Gate = "Sigmoid")
    {
        public Model Build()
        {
            var b = new GraphBuilder(13);
            var x = b.Input("x", ElementType.Float, 1, 8, 9, 9);
            var y = b.Node("Conv", [x, Weight(b, 1, 16, 8, 3, 3), Weight(b, 2, 16)], Attr.Ints("pads", [1, 1, 1, 1]));
            if (BatchNorm)
                y = b.Node("BatchNormalization", [y, Weight(b, 3, 16), Weight(b, 4, 16), Weight(b, 5, 16), Positive(b, 6, 16)]);
            y = b.Node("Relu", [y]);
            var squeezed = b.Node("Conv", [b.Node("GlobalAveragePool", [y]), Weight(b, 7, 4, 16, 1, 1), Weight(b, 8, 4)]);
            squeezed = Squeeze == "SiLU" ? b.Node("Mul", [squeezed, b.Node("Sigmoid", [squeezed])]) : b.Node("Relu", [squeezed]);
            var excited = b.Node("Conv", [squeezed, Weight(b, 9, 16, 4, 1, 1), Weight(b, 10, 16)]);
            var gate = Gate == "HardSigmoid"
                ? b.Node("HardSigmoid", [excited], Attr.Float("alpha", 1f / 6), Attr.Float("beta", 0.5f))
                : b.Node("Sigmoid", [excited]);
            b.Output(b.Node("Mul", [y, gate]), "out");
            return b.Build();
        }

        Value Weight(GraphBuilder b, int seed, params long[] dims) => Tensor(b, seed, dims, v => v);

        /// <summary>BatchNormalization's variance: positive.</summary>
        Value Positive(GraphBuilder b, int seed, params long[] dims) => Tensor(b, seed, dims, v => 0.5f + Math.Abs(v));

        Value Tensor(GraphBuilder b, int seed, long[] dims, Func<float, float> map)
        {
            var random = new Random(seed);
            var values = new float[dims.Aggregate(1L, (n, d) => n * d)];
            for (var i = 0; i < values.Length; i++)
                values[i] = map((random.NextSingle() * 2) - 1);
            var data = TensorData.Create<float>(dims, values);
            return ConstantNodes ? b.Constant(data) : b.Initializer($"t{seed}", data);
        }
    }

    static (Model Optimized, IReadOnlyList<Node> Nodes) Optimize(Model original)
    {
        var result = Optimizer.Optimize(original, new OptimizerOptions { ConstantEvaluator = EngineConstantEvaluator.Instance });
        return (result.Model, result.Model.Graph.Nodes);
    }

    static string Describe(Node node) =>
        node.OpType == "FusedConv" ? $"FusedConv({node.GetString("activation", "")})" : node.OpType;

    [Theory]
    [InlineData(false, false, "Sigmoid")]
    [InlineData(true, false, "Sigmoid")]
    [InlineData(true, true, "Sigmoid")]
    [InlineData(false, true, "HardSigmoid")]
    [InlineData(true, false, "HardSigmoid")]
    public void Reduces_a_block_to_pooling_two_fused_convs_and_the_gating_mul(bool batchNorm, bool constantNodes, string gate)
    {
        var original = new Block(batchNorm, constantNodes, Gate: gate).Build();

        var (optimized, nodes) = Optimize(original);

        Assert.Equal(["FusedConv(Relu)", "GlobalAveragePool", "FusedConv(Relu)", $"FusedConv({gate})", "Mul"], nodes.Select(Describe));
        if (gate == "HardSigmoid")
            Assert.Equal([1f / 6, 0.5f], nodes[3].GetFloats("activation_params")!.ToArray());
        PassTester.AssertSameOutputs(original, optimized, seed: 2);
    }

    /// <summary>
    /// FusedConv has no SiLU activation that both targets run (ONNX Runtime 1.30's kernel rejects "Silu", the managed
    /// engine has none), so x · Sigmoid(x) becomes QuickGelu(α = 1) after a plain Conv.
    /// </summary>
    [Fact]
    public void Keeps_a_silu_squeeze_as_conv_then_quick_gelu()
    {
        var original = new Block(BatchNorm: true, Squeeze: "SiLU").Build();

        var (optimized, nodes) = Optimize(original);

        Assert.Equal(["FusedConv(Relu)", "GlobalAveragePool", "Conv", "QuickGelu", "FusedConv(Sigmoid)", "Mul"], nodes.Select(Describe));
        Assert.Equal(1f, nodes[3].GetFloat("alpha", 0f));
        PassTester.AssertSameOutputs(original, optimized, seed: 3);
    }

    [Fact]
    public void Analyze_lists_the_block_s_opportunities()
    {
        var model = new Block(BatchNorm: true, Gate: "HardSigmoid").Build();

        var opportunities = Optimizer.Analyze(model);

        // Matching alone: the main Conv's Relu becomes an opportunity only once conv-batchnorm has folded the BatchNormalization.
        Assert.Equal(["conv-batchnorm", "conv-activation", "conv-activation"], opportunities.Select(o => o.Pattern));
        Assert.Equal(["Conv", "Relu"], opportunities[1].Nodes.Select(n => n.OpType));
        Assert.Equal(["Conv", "HardSigmoid"], opportunities[2].Nodes.Select(n => n.OpType));
    }
}
