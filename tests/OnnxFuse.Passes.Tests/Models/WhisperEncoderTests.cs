using OnnxFuse.Ir.Building;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;
using OnnxFuse.Passes.Rewriting;
using OnnxFuse.Passes.Tests.Fusions;
using OnnxFuse.Runtime.Optimization;

namespace OnnxFuse.Passes.Tests.Models;

/// <summary>
/// Every pass together (level all) on a stack of Whisper-like encoder layers: pre-LayerNorm self-attention
/// (<see cref="WhisperAttentionBlock"/>) and GELU MLP, each with a residual, then the encoder's final LayerNorm;
/// LayerNorm and GELU written out as PyTorch exports them. Oracle: the unfused model on the same target (managed
/// engine and ONNX Runtime, its optimizations disabled); tolerance 1e-4 relative + 1e-5 absolute.
/// </summary>
public sealed class WhisperEncoderTests
{
    static Model Encoder(long opset, int layerCount, bool dynamicShapes)
    {
        var attention = new WhisperAttentionBlock { Opset = opset, Hidden = 96, HeadCount = 6, Sequence = 11, DynamicShapes = dynamicShapes };
        var hidden = attention.Hidden;
        var b = new GraphBuilder(opset);
        var h = dynamicShapes
            ? b.Input("x", ElementType.Float, Dim.Symbol("batch"), Dim.Symbol("frames"), hidden)
            : b.Input("x", ElementType.Float, attention.Batch, attention.Sequence, hidden);
        for (var layer = 0; layer < layerCount; layer++)
        {
            var seed = 100 * (layer + 1);
            var attended = attention.Append(b, NormalizationGraphs.DecomposedLayerNorm(b, h, hidden, opset, new LayerNormForm(), seed), seed);
            h = b.Node("Add", [h, Linear(b, attention, attended, seed + 10, hidden, hidden)]);
            var expanded = Linear(b, attention, NormalizationGraphs.DecomposedLayerNorm(b, h, hidden, opset, new LayerNormForm(), seed + 20),
                seed + 30, hidden, 4 * hidden);
            var activated = GeluGraphs.ErfGelu(b, expanded, divide: true, HalfProduct.InputFirst, swapped: false);
            h = b.Node("Add", [h, Linear(b, attention, activated, seed + 40, 4 * hidden, hidden)]);
        }
        b.Output(NormalizationGraphs.DecomposedLayerNorm(b, h, hidden, opset, new LayerNormForm(), 999), "y");
        return b.Build();
    }

    /// <summary>x · W + b as PyTorch exports nn.Linear on 3-D input: MatMul → Add(bias, ·).</summary>
    static Value Linear(GraphBuilder b, WhisperAttentionBlock weights, Value x, int seed, long inputs, long outputs) =>
        b.Node("Add", [weights.Weight(b, $"b{seed}", seed + 1, outputs), b.Node("MatMul", [x, weights.Weight(b, $"w{seed}", seed, inputs, outputs)])]);

    /// <summary>
    /// Per layer: Attention (no score MatMul or Softmax left), fc1 MatMul → BiasGelu. Below opset 17, out_proj and fc2
    /// are MatMuls whose biases the SkipLayerNormalization after each residual takes, and the first LayerNorm (no residual
    /// before it) stays decomposed (no standard op there). From opset 17 every normalization is a LayerNormalization,
    /// the residual Adds stay, and out_proj and fc2 become Gemms between Reshapes (with the Shape → Slice → Concat that
    /// restores a dynamic [batch, sequence] shape).
    /// </summary>
    [Theory]
    [InlineData(17L, false, "Add 4, Attention 2, BiasGelu 2, Gemm 4, LayerNormalization 5, MatMul 2, Reshape 8")]
    [InlineData(17L, true, "Add 4, Attention 2, BiasGelu 2, Concat 4, Gemm 4, LayerNormalization 5, MatMul 2, Reshape 8, Shape 4, Slice 4")]
    [InlineData(13L, false, "Add 2, Attention 2, BiasGelu 2, Div 1, MatMul 6, Mul 1, Pow 1, ReduceMean 2, SkipLayerNormalization 4, Sqrt 1, Sub 1")]
    public void Level_all_fuses_attention_layernorm_and_gelu_of_two_encoder_layers_and_keeps_the_outputs(long opset, bool dynamicShapes, string expected)
    {
        var original = Encoder(opset, layerCount: 2, dynamicShapes);

        var result = Optimizer.Optimize(original, new OptimizerOptions { ConstantEvaluator = EngineConstantEvaluator.Instance });

        var histogram = result.Model.Graph.Nodes.GroupBy(n => n.OpType).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}");
        Assert.Equal(expected, string.Join(", ", histogram));
        PassTester.AssertSameOutputs(original, result.Model, seed: 6);
    }
}
