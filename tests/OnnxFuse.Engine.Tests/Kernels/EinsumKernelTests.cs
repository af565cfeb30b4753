using OnnxFuse.Engine.Tests.Oracles;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Tests.Kernels;

/// <summary>
/// Einsum (float32, contractions through the GEMM) against ONNX Runtime 1.30 (oracle), rtol 1e-4 and atol 1e-5, over
/// the equation forms exporters emit and the general cases: several inputs, diagonals, sums, ellipsis, implicit output.
/// </summary>
public sealed class EinsumKernelTests
{
    public static TheoryData<string, long[][]> Equations => new()
    {
        { "bhid,bhjd->bhij", [[2, 3, 5, 8], [2, 3, 7, 8]] },
        { "bhij,bhjd->bhid", [[2, 3, 5, 7], [2, 3, 7, 8]] },
        { "ij,jk", [[4, 5], [5, 6]] },
        { "ij,jk,kl->il", [[3, 4], [4, 5], [5, 2]] },
        { "ii", [[5, 5]] },
        { "ii->i", [[5, 5]] },
        { "iij->ji", [[3, 3, 4]] },
        { "i,j->ij", [[4], [6]] },
        { "ijk,jl->il", [[3, 4, 5], [4, 2]] },
        { "...ij,...jk->...ik", [[2, 3, 4, 5], [2, 3, 5, 2]] },
        { "b i d, b j d -> b j i", [[2, 4, 3], [2, 5, 3]] },
        { "ij->", [[3, 7]] },
        { "ijk->kji", [[2, 3, 4]] },
    };

    [Theory, MemberData(nameof(Equations))]
    public void Matches_ort(string equation, long[][] shapes)
    {
        TensorData?[] inputs = [.. shapes.Select((dims, i) => OrtOracle.Floats(i + 1, dims))];

        OrtOracle.AssertMatchesOrt("Einsum", inputs, [Attr.String("equation", equation)], domain: "");
    }

    [Fact]
    public void Rejects_a_malformed_equation_at_plan_time()
    {
        var model = OrtOracle.SingleNode("Einsum", [OrtOracle.Floats(1, [2, 2])], [Attr.String("equation", "i1->i")], domain: "");

        var error = Assert.Throws<UnsupportedOpException>(() => InferenceSession.Create(model));

        Assert.Contains("i1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reports_labels_with_two_sizes()
    {
        TensorData?[] inputs = [OrtOracle.Floats(1, [2, 3]), OrtOracle.Floats(2, [4, 5])];
        var model = OrtOracle.SingleNode("Einsum", inputs, [Attr.String("equation", "ij,jk->ik")], domain: "");
        using var session = InferenceSession.Create(model);

        var error = Assert.Throws<ShapeMismatchException>(() => session.Run(OrtOracle.Feeds(model, inputs)));

        Assert.Contains("'j'", error.Message, StringComparison.Ordinal);
    }
}
