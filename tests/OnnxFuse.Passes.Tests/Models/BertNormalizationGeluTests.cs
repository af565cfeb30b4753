using OnnxFuse.Onnx;
using OnnxFuse.Passes.Rewriting;
using OnnxFuse.Runtime;
using OnnxFuse.Testing;

namespace OnnxFuse.Passes.Tests.Models;

/// <summary>
/// The normalization and GELU passes on the shared BERT-like encoder (4 layers, hidden 256, 9 layer
/// normalizations each after a residual Add, 4 erf GELUs after a MatMul bias), exported at opset 13 (decomposed
/// layer normalization) and 17 (LayerNormalization). Oracle: test_data_set_0's reference output computed by
/// PyTorch; |fused − reference| ≤ 1e-5 + 1e-4·|reference| on the managed engine and on ONNX Runtime.
/// </summary>
public sealed class BertNormalizationGeluTests
{
    static readonly string[] s_passes = ["layernorm", "skip-layernorm", "rmsnorm", "gelu", "fast-gelu", "quick-gelu", "bias-gelu"];

    /// <summary>
    /// bert_mini_op13 writes its 9 normalizations out (no standard op below 17): all become SkipLayerNormalization.
    /// bert_mini_op17 exports standard LayerNormalization, which stays with its residual Add (see SkipLayerNormFusion).
    /// </summary>
    [Theory]
    [InlineData("bert_mini_op13", 9, 0)]
    [InlineData("bert_mini_op17", 0, 9)]
    public void Leaves_no_decomposed_normalization_or_GELU_and_keeps_the_reference_output(string name, int skipLayerNorms, int layerNorms)
    {
        var path = TestPaths.SharedModel(name);
        var original = ModelFile.Load(path);

        var (fused, report) = Optimizer.Optimize(original, new OptimizerOptions { Patterns = s_passes });

        var operators = PassTester.OpTypes(fused);
        Assert.Equal(skipLayerNorms, operators.Count(op => op == "com.microsoft.SkipLayerNormalization"));
        Assert.Equal(layerNorms, operators.Count(op => op == "LayerNormalization"));
        Assert.Equal(4, operators.Count(op => op == "com.microsoft.BiasGelu"));
        Assert.DoesNotContain(operators, op => op is "ReduceMean" or "Pow" or "Sqrt" or "Erf");
        Assert.Equal(skipLayerNorms, report.Applied.Count(r => r.Pattern == "skip-layernorm"));
        var (inputs, reference) = (SharedModelReference.Inputs(name, original), SharedModelReference.Outputs(name)[0]);
        foreach (var target in new[] { ExecutionTarget.Managed, ExecutionTarget.OnnxRuntime })
            PassTester.AssertClose(reference, PassTester.RunOn(fused, inputs, target)[0], rtol: 1e-4f, atol: 1e-5f, $"{name} on {target}");
    }

    /// <summary>The blocks' residual sums are read only by their normalization, so no fourth output is needed here.</summary>
    [Fact]
    public void Uses_the_projection_bias_of_each_block_as_the_bias_input()
    {
        var original = ModelFile.Load(TestPaths.SharedModel("bert_mini_op13"));

        var (fused, _) = Optimizer.Optimize(original, new OptimizerOptions { Patterns = s_passes });

        var skipLayerNorms = fused.Graph.Nodes.Where(n => n.OpType == "SkipLayerNormalization").ToList();
        Assert.Equal(8, skipLayerNorms.Count(n => n.Inputs.Count == 5));
        Assert.All(skipLayerNorms, n => Assert.Single(n.Outputs));
    }
}
