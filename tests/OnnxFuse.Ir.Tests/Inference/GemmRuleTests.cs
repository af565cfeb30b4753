using OnnxFuse.Ir.Graphs;

namespace OnnxFuse.Ir.Tests.Inference;

public sealed class GemmRuleTests
{
    [Theory]
    [InlineData(0, 0, "[2,5]")]
    [InlineData(1, 1, "[2,4]")]
    public void Gemm_applies_transposes(long transA, long transB, string expected)
    {
        var g = new InferenceGraph();
        var a = transA == 0 ? g.Input("a", 2, 3) : g.Input("a", 3, 2);
        var b = transB == 0 ? g.Input("b", 3, 5) : g.Input("b", 4, 3);
        var y = g.Node("Gemm", [a, b], Attr.Int("transA", transA), Attr.Int("transB", transB));

        g.Infer();

        Assert.Equal(expected, y.Shape!.ToString());
    }
}
