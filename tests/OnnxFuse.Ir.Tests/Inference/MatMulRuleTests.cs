using OnnxFuse.Ir.Graphs;

namespace OnnxFuse.Ir.Tests.Inference;

public sealed class MatMulRuleTests
{
    [Theory]
    [InlineData(new[] { 2, 3 }, new[] { 3, 4 }, "[2,4]")]
    [InlineData(new[] { 5, 1, 2, 3 }, new[] { 7, 3, 4 }, "[5,7,2,4]")]
    [InlineData(new[] { 3 }, new[] { 2, 3, 4 }, "[2,4]")]
    [InlineData(new[] { 2, 3 }, new[] { 3 }, "[2]")]
    [InlineData(new[] { 3 }, new[] { 3 }, "[]")]
    public void MatMul_follows_numpy_rules(int[] a, int[] b, string expected)
    {
        var g = new InferenceGraph();
        var y = g.Node("MatMul", [g.Input("a", [.. a.Cast<object>()]), g.Input("b", [.. b.Cast<object>()])]);

        g.Infer();

        Assert.Equal(expected, y.Shape!.ToString());
    }

    [Fact]
    public void FusedMatMul_transposes_per_attribute()
    {
        var g = new InferenceGraph();
        var y = g.MicrosoftNode("FusedMatMul", [g.Input("a", "batch", 3, 2), g.Input("b", 4, 3)], Attr.Int("transA", 1), Attr.Int("transB", 1));

        g.Infer();

        Assert.Equal("[batch,2,4]", y.Shape!.ToString());
    }

    [Fact]
    public void Mismatched_inner_dims_are_reported()
    {
        var g = new InferenceGraph();
        g.Node("MatMul", [g.Input("a", 2, 3), g.Input("b", 4, 5)]);

        Assert.Single(g.Infer().Conflicts);
    }
}
