using OnnxFuse.Engine.Tests.Oracles;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Tests.Kernels.Contrib;

/// <summary>com.microsoft FusedMatMul (alpha · op(A) · op(B), numpy batch broadcasting) against ONNX Runtime 1.30 (oracle), rtol 1e-4 and atol 1e-5.</summary>
public sealed class FusedMatMulTests
{
    public static TheoryData<long[], long[], int, int> Cases => new()
    {
        { [5, 7], [7, 3], 0, 0 },
        { [7, 5], [7, 3], 1, 0 },
        { [5, 7], [3, 7], 0, 1 },
        { [7, 5], [3, 7], 1, 1 },
        { [2, 4, 5, 7], [2, 4, 7, 3], 0, 0 },
        { [2, 4, 7, 5], [2, 4, 3, 7], 1, 1 },
        { [2, 1, 5, 7], [3, 7, 6], 0, 0 },
        { [2, 1, 5, 7], [3, 6, 7], 0, 1 },
        { [4, 7, 5], [7, 3], 1, 0 },
        { [4, 5, 7], [3, 7], 0, 1 },
        { [7], [7, 3], 1, 0 },
        { [5, 7], [7], 0, 1 },
    };

    [Theory, MemberData(nameof(Cases))]
    public void Matches_ort_with_alpha_and_transposes(long[] aDims, long[] bDims, int transA, int transB)
    {
        TensorData?[] inputs = [OrtOracle.Floats(1, aDims), OrtOracle.Floats(2, bDims)];

        OrtOracle.AssertMatchesOrt("FusedMatMul", inputs, [Attr.Float("alpha", 0.375f), Attr.Int("transA", transA), Attr.Int("transB", transB)]);
    }

    [Theory, MemberData(nameof(Cases))]
    public void Matches_ort_with_a_constant_b(long[] aDims, long[] bDims, int transA, int transB)
    {
        TensorData?[] inputs = [OrtOracle.Floats(3, aDims), OrtOracle.Floats(4, bDims)];

        OrtOracle.AssertMatchesOrt("FusedMatMul", inputs, [Attr.Float("alpha", -1.5f), Attr.Int("transA", transA), Attr.Int("transB", transB)],
            constantInputs: [1]);
    }
}
