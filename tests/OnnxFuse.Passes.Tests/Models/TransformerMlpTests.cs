using OnnxFuse.Ir.Building;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Passes.Rewriting;
using OnnxFuse.Passes.Tests.Fusions;
using OnnxFuse.Runtime.Optimization;

namespace OnnxFuse.Passes.Tests.Models;

/// <summary>
/// Every pass together (level all) on a transformer MLP block, written out as PyTorch exports it:
/// <code>
///   x → MatMul(W1) → Add(b1) → GELU (erf form) → MatMul(W2) → Add(b2) → Add(x, ·) → LayerNorm (decomposed) → y
/// </code>
/// Expected below opset 17: MatMul → BiasGelu (b1) → MatMul → SkipLayerNormalization(x, ·, γ, β, b2), the second
/// projection's bias taken as SkipLayerNormalization's bias input. From opset 17, and without a LayerNorm after the
/// residual, matmul-add makes the second projection a Gemm and the residual Add stays (before a standard
/// LayerNormalization from opset 17). Oracle: the unfused model on the same target (managed engine and ONNX Runtime, its
/// optimizations disabled); tolerance 1e-4 relative + 1e-5 absolute.
/// </summary>
public sealed class TransformerMlpTests
{
    const long Hidden = 48;

    static Model Mlp(long opset, long[] inputShape, bool layerNorm = true)
    {
        var b = new GraphBuilder(opset);
        var x = b.Input("x", ElementType.Float, [.. inputShape, Hidden]);
        var expanded = Linear(b, x, 1, Hidden, 4 * Hidden);
        var activated = GeluGraphs.ErfGelu(b, expanded, divide: true, HalfProduct.InputFirst, swapped: false);
        var residual = b.Node("Add", [x, Linear(b, activated, 3, 4 * Hidden, Hidden)]);
        b.Output(layerNorm ? NormalizationGraphs.DecomposedLayerNorm(b, residual, Hidden, opset, new LayerNormForm()) : residual, "y");
        return b.Build();
    }

    static Value Linear(GraphBuilder b, Value x, int seed, long inputs, long outputs) =>
        b.Node("Add", [b.Node("MatMul", [x, Scaled(b.RandomInitializer($"w{seed}", seed, inputs, outputs), b)]),
            b.RandomInitializer($"b{seed}", seed + 1, outputs)]);

    /// <summary>Weights of ±1/√inputs keep the activations near 1, where GELU is not linear.</summary>
    static Value Scaled(Value weight, GraphBuilder b) => b.Node("Mul", [weight, b.Constant(TensorData.Scalar(1 / MathF.Sqrt(weight.ConstantData!.Dims[0])))]);

    static Model Optimize(Model original) =>
        Optimizer.Optimize(original, new OptimizerOptions { ConstantEvaluator = EngineConstantEvaluator.Instance }).Model;

    [Theory]
    [InlineData(13L, new long[] { 2, 7 })]
    [InlineData(16L, new long[] { 2, 7 })]
    [InlineData(13L, new long[] { 14 })]
    public void Fuses_the_first_bias_into_bias_gelu_and_the_second_into_skip_layer_normalization(long opset, long[] inputShape)
    {
        var original = Mlp(opset, inputShape);

        var optimized = Optimize(original);

        Assert.Equal(["MatMul", "com.microsoft.BiasGelu", "MatMul", "com.microsoft.SkipLayerNormalization"], PassTester.OpTypes(optimized));
        var skip = optimized.Graph.Nodes[^1];
        Assert.Equal(5, skip.Inputs.Count);
        Assert.Equal("x", skip.Input(0).Name);
        Assert.Equal([Hidden], skip.Input(4).ConstantData!.Dims);
        PassTester.AssertSameOutputs(original, optimized, seed: 4);
    }

    [Theory]
    [InlineData(17L, new long[] { 2, 7 }, new[] { "MatMul", "com.microsoft.BiasGelu", "Reshape", "Gemm", "Reshape", "Add", "LayerNormalization" })]
    [InlineData(20L, new long[] { 2, 7 }, new[] { "MatMul", "com.microsoft.BiasGelu", "Reshape", "Gemm", "Reshape", "Add", "LayerNormalization" })]
    [InlineData(17L, new long[] { 14 }, new[] { "MatMul", "com.microsoft.BiasGelu", "Gemm", "Add", "LayerNormalization" })]
    public void Keeps_the_residual_add_and_a_standard_layer_normalization_from_opset_17(long opset, long[] inputShape, string[] expected)
    {
        var original = Mlp(opset, inputShape);

        var optimized = Optimize(original);

        Assert.Equal(expected, PassTester.OpTypes(optimized));
        PassTester.AssertSameOutputs(original, optimized, seed: 4);
    }

    [Theory]
    [InlineData(new long[] { 2, 7 }, new[] { "MatMul", "com.microsoft.BiasGelu", "Reshape", "Gemm", "Reshape", "Add" })]
    [InlineData(new long[] { 14 }, new[] { "MatMul", "com.microsoft.BiasGelu", "Gemm", "Add" })]
    public void Makes_the_second_projection_a_gemm_when_no_layer_norm_follows(long[] inputShape, string[] expected)
    {
        var original = Mlp(17, inputShape, layerNorm: false);

        var optimized = Optimize(original);

        Assert.Equal(expected, PassTester.OpTypes(optimized));
        PassTester.AssertSameOutputs(original, optimized, seed: 5);
    }
}
