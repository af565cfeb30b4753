using OnnxFuse.Ir.Graphs;
using OnnxFuse.Onnx;
using OnnxFuse.Passes.Rewriting;
using OnnxFuse.Runtime;
using OnnxFuse.Testing;

namespace OnnxFuse.Passes.Tests.Models;

/// <summary>
/// The convolution passes on torchvision's MobileNetV2 (opset 13: Conv 52, BatchNormalization 52, Clip 35). Oracle:
/// PyTorch's logits in test_data_set_0, on both targets, |actual − expected| ≤ 1e-5 + 1e-4 · |expected|
/// (logits are below 0.3 and measured errors about 3e-7 on both targets, optimized or not).
/// </summary>
public sealed class MobileNetV2Tests
{
    const float Rtol = 1e-4f;
    const float Atol = 1e-5f;

    static readonly string[] s_convolutionPasses =
    [
        "identity-elimination", "hoist-constants", "conv-batchnorm", "convtranspose-batchnorm", "gemm-batchnorm", "matmul-batchnorm",
        "conv-mul", "conv-add", "pad-conv", "conv-activation", "gemm-activation", "hardswish",
    ];

    static readonly Lazy<Model> s_model = new(() => ModelFile.Load(TestPaths.SharedModel("mobilenet_v2")));

    static OptimizerOptions UpTo(OptimizationLevel level, bool standardOnly = false) => new()
    {
        Patterns = [.. Optimizer.Passes.Where(p => s_convolutionPasses.Contains(p.Name) && p.Level <= level).Select(p => p.Name)],
        StandardOnly = standardOnly,
    };

    static int Count(Model model, string opType) => model.Graph.Nodes.Count(n => n.OpType == opType);

    static void AssertMatchesReference(Model model)
    {
        var inputs = SharedModelReference.Inputs("mobilenet_v2", s_model.Value);
        var expected = SharedModelReference.Outputs("mobilenet_v2")[0];
        foreach (var target in new[] { ExecutionTarget.Managed, ExecutionTarget.OnnxRuntime })
            PassTester.AssertClose(expected, PassTester.RunOn(model, inputs, target)[0], Rtol, Atol, $"{target} logits");
    }

    [Fact]
    public void Extended_level_folds_every_batchnorm_and_absorbs_every_clip_into_fused_conv()
    {
        var result = Optimizer.Optimize(s_model.Value, UpTo(OptimizationLevel.Extended));

        var optimized = result.Model;
        Assert.Equal(0, Count(optimized, "BatchNormalization"));
        Assert.Equal(0, Count(optimized, "Clip"));
        Assert.Equal(35, Count(optimized, "FusedConv"));
        Assert.Equal(52, Count(optimized, "FusedConv") + Count(optimized, "Conv"));
        AssertMatchesReference(optimized);
    }

    [Fact]
    public void Basic_level_with_standard_ops_only_folds_every_batchnorm_and_keeps_standard_ops()
    {
        var result = Optimizer.Optimize(s_model.Value, UpTo(OptimizationLevel.Basic, standardOnly: true));

        var optimized = result.Model;
        Assert.Equal(0, Count(optimized, "BatchNormalization"));
        Assert.Equal(35, Count(optimized, "Clip"));
        Assert.All(optimized.Graph.AllNodes(), n => Assert.True(n.IsDefaultDomain, $"{n.Describe()} is not a standard op"));
        AssertMatchesReference(optimized);
    }

    [Fact]
    public void The_unoptimized_model_meets_the_same_bound()
    {
        AssertMatchesReference(s_model.Value);
    }
}
