using OnnxFuse.Ir.Graphs;
using OnnxFuse.Onnx;
using OnnxFuse.Passes.Rewriting;
using OnnxFuse.Runtime;
using OnnxFuse.Runtime.Optimization;
using OnnxFuse.Testing;

namespace OnnxFuse.Passes.Tests.Models;

/// <summary>
/// Every pass together, as <c>onnxfuse optimize</c> runs them, on every shared model. Oracle: test_data_set_0's
/// reference outputs computed by PyTorch; |optimized − reference| ≤ 1e-5 + 1e-4·|reference| on the managed engine
/// and on ONNX Runtime (its own optimizations disabled, so it runs exactly our graph).
/// </summary>
public sealed class SharedModelOptimizationTests
{
    public static TheoryData<string> Models => [.. TestPaths.SharedModelNames];

    static readonly Dictionary<string, string[]> s_gone = new()
    {
        ["bert_mini_op13"] = ["ReduceMean", "Pow", "Sqrt", "Erf", "Softmax", "Transpose"],
        // Its normalizations are standard LayerNormalization already, and stay (SkipLayerNormFusion says why).
        ["bert_mini_op17"] = ["ReduceMean", "Erf", "Softmax", "Transpose"],
        ["mobilenet_v2"] = ["BatchNormalization", "Clip"],
        ["vollo_cnn"] = ["Relu"],
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void Level_all_keeps_the_reference_outputs_on_both_targets(string name)
    {
        var original = ModelFile.Load(TestPaths.SharedModel(name));

        var result = Optimizer.Optimize(original, new OptimizerOptions { ConstantEvaluator = EngineConstantEvaluator.Instance });

        var operators = result.Model.Graph.AllNodes().Select(n => n.OpType).ToList();
        foreach (var op in s_gone.GetValueOrDefault(name) ?? [])
            Assert.DoesNotContain(op, operators);
        if (name.StartsWith("bert", StringComparison.Ordinal))
            Assert.Equal(4, operators.Count(op => op == "Attention"));
        AssertReferenceOutputs(name, result.Model);
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Standard_only_emits_no_contrib_ops_and_keeps_the_reference_outputs(string name)
    {
        var original = ModelFile.Load(TestPaths.SharedModel(name));

        var result = Optimizer.Optimize(original, new OptimizerOptions { StandardOnly = true, ConstantEvaluator = EngineConstantEvaluator.Instance });

        Assert.All(result.Model.Graph.AllNodes(), n => Assert.True(n.IsDefaultDomain && n.OpType != "SimplifiedLayerNormalization", n.Describe()));
        Assert.False(result.Model.OpsetImports.Contains(PassContext.MicrosoftDomain));
        if (name == "mobilenet_v2")
            Assert.DoesNotContain(result.Model.Graph.Nodes, n => n.OpType == "BatchNormalization");
        AssertReferenceOutputs(name, result.Model);
    }

    [Fact]
    public void Raising_bert_mini_op13_to_opset_17_fuses_standard_layer_normalizations_and_keeps_the_reference_outputs()
    {
        var original = ModelFile.Load(TestPaths.SharedModel("bert_mini_op13"));

        var result = Optimizer.Optimize(original, new OptimizerOptions { Opset = 17, ConstantEvaluator = EngineConstantEvaluator.Instance });

        Assert.Equal(17, result.Model.OpsetImports.Default);
        Assert.Equal(8, result.Model.IrVersion);
        var operators = result.Model.Graph.AllNodes().Select(n => n.OpType).ToList();
        Assert.Equal(9, operators.Count(op => op == "LayerNormalization"));
        Assert.DoesNotContain("SkipLayerNormalization", operators);
        Assert.DoesNotContain("ReduceMean", operators);
        Assert.Equal(13, original.OpsetImports.Default);
        AssertReferenceOutputs("bert_mini_op13", result.Model);
    }

    static void AssertReferenceOutputs(string name, Model optimized)
    {
        var inputs = SharedModelReference.Inputs(name, optimized);
        var references = SharedModelReference.Outputs(name, optimized.Graph.Outputs.Count);
        foreach (var target in new[] { ExecutionTarget.Managed, ExecutionTarget.OnnxRuntime })
        {
            var outputs = PassTester.RunOn(optimized, inputs, target);
            for (var i = 0; i < references.Count; i++)
                PassTester.AssertClose(references[i], outputs[i], rtol: 1e-4f, atol: 1e-5f, $"{name} output {i} on {target}");
        }
    }
}
