using OnnxFuse.Onnx;
using OnnxFuse.Passes.Cleanup;
using OnnxFuse.Passes.Rewriting;
using OnnxFuse.Runtime;
using OnnxFuse.Runtime.Optimization;
using OnnxFuse.Testing;
using Xunit.Abstractions;

namespace OnnxFuse.Passes.Tests.Cleanup;

/// <summary>The cleanup passes together on an exported BERT encoder (Constant nodes, folded position lookup, mask).</summary>
public sealed class CleanupOnSharedModelTests(ITestOutputHelper output)
{
    const string ModelName = "bert_mini_op13";

    static Pass[] CleanupPasses => [new IdentityElimination(), new ConstantFolding(), new ShapeSimplification(), new CommonSubexpressionElimination()];

    [Theory]
    [InlineData(ExecutionTarget.Managed)]
    [InlineData(ExecutionTarget.OnnxRuntime)]
    public void Cleaned_bert_reproduces_the_reference_output(ExecutionTarget target)
    {
        var original = ModelFile.Load(TestPaths.SharedModel(ModelName));

        var (cleaned, report) = PassTester.Run(original, new OptimizerOptions { ConstantEvaluator = EngineConstantEvaluator.Instance }, CleanupPasses);

        output.WriteLine($"nodes {report.NodesBefore} → {report.NodesAfter}; initializers {original.Graph.Initializers.Count} → {cleaned.Graph.Initializers.Count}");
        foreach (var (pattern, count) in report.CountsByPattern)
            output.WriteLine($"  {pattern}: {count}");
        Assert.True(report.NodesAfter < report.NodesBefore);
        // Oracle: PyTorch's output in test_data_set_0; tolerance 1e-4 relative, 1e-5 absolute.
        var actual = PassTester.RunOn(cleaned, SharedModelReference.Inputs(ModelName, original), target);
        var expected = SharedModelReference.Outputs(ModelName)[0];
        PassTester.AssertClose(expected, Assert.Single(actual), rtol: 1e-4f, atol: 1e-5f, $"{target} {ModelName}");
    }

    [Fact]
    public void Merges_the_repeated_constants_and_folds_the_constant_position_lookup()
    {
        var original = ModelFile.Load(TestPaths.SharedModel(ModelName));

        var (cleaned, report) = PassTester.Run(original, new OptimizerOptions { ConstantEvaluator = EngineConstantEvaluator.Instance }, CleanupPasses);

        // The position embedding is a Gather of a weight by a Constant index: folded into a [1,128,256] initializer.
        Assert.Contains(report.Applied, r => r.Pattern == "constant-folding" && r.Replaced.Any(n => n.OpType == "Gather"));
        Assert.Equal(2, cleaned.Graph.Nodes.Count(n => n.OpType == "Gather"));
        // Every layer's LayerNorm exponent, epsilon and reshape targets are the same Constant: one of each remains.
        var constants = cleaned.Graph.Nodes.Where(n => n.OpType == "Constant").Select(n => n.Output(0).ConstantData!).ToList();
        Assert.All(constants, c => Assert.Single(constants, other => other.ContentEquals(c)));
        Assert.True(constants.Count < original.Graph.Nodes.Count(n => n.OpType == "Constant") / 2);
    }
}
