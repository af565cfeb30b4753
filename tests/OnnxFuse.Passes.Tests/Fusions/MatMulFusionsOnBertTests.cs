using OnnxFuse.Ir.Graphs;
using OnnxFuse.Onnx;
using OnnxFuse.Passes.Fusions;
using OnnxFuse.Runtime;
using OnnxFuse.Testing;
using Xunit.Abstractions;

namespace OnnxFuse.Passes.Tests.Fusions;

/// <summary>
/// The MatMul passes together on the shared BERT-like encoders (4 layers, hidden 256, sequence 128). Oracle: the
/// reference outputs in test_data_set_0 (computed by PyTorch), on the managed engine and on ONNX Runtime, within
/// 1e-4 relative plus 1e-5 absolute (both the unfused and the fused model are within 2.4e-6 absolute of them).
/// </summary>
public sealed class MatMulFusionsOnBertTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("bert_mini_op13")]
    [InlineData("bert_mini_op17")]
    public void Packs_projections_folds_biases_and_scales_and_keeps_the_reference_outputs(string name)
    {
        var original = ModelFile.Load(TestPaths.SharedModel(name));

        var (fused, report) = PassTester.Run(original,
            new TransposeMatMulFusion(), new MatMulScaleFusion(), new QkvPackingFusion(), new MatMulAddToGemmFusion());

        output.WriteLine($"before: {Histogram(original)}");
        output.WriteLine($"after:  {Histogram(fused)}");
        var applied = report.Applied.CountBy(r => r.Pattern).ToDictionary();
        output.WriteLine($"applied: {string.Join(", ", applied.Select(p => $"{p.Key} {p.Value}"))}");
        Assert.Equal(4, applied["qkv"]);
        // Per layer: 1/√d on Q·Kᵀ, and GELU's final 0.5 on the input of the feed-forward output projection.
        Assert.Equal(8, applied["matmul-scale"]);
        // Per layer: the packed QKV projection, the attention output, and the two feed-forward projections.
        Assert.Equal(16, applied["matmul-add"]);
        Assert.False(applied.ContainsKey("transpose-matmul"));
        var inputs = SharedModelReference.Inputs(name, original);
        var expected = SharedModelReference.Outputs(name)[0];
        foreach (var target in new[] { ExecutionTarget.Managed, ExecutionTarget.OnnxRuntime })
            PassTester.AssertClose(expected, PassTester.RunOn(fused, inputs, target)[0], rtol: 1e-4f, atol: 1e-5f, $"{name} on {target}");
    }

    static string Histogram(Model model) =>
        string.Join(", ", model.Graph.Nodes.Where(n => n.OpType != "Constant").CountBy(n => n.OpType).OrderByDescending(p => p.Value)
            .Select(p => $"{p.Key} {p.Value}"));
}
