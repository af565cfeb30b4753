using OnnxFuse.Engine.Tests.Oracles;
using static OnnxFuse.Engine.Tests.Kernels.Quantization.QuantizedTestData;

namespace OnnxFuse.Engine.Tests.Kernels.Quantization;

// Oracle: ONNX Runtime (native, one thread) on the same one-node model; integer outputs must match exactly.
// uint8 × int8 cases use 7-bit weights (see QuantizedTestData.Bytes).
public sealed class QuantizedMatMulKernelTests
{
    const double Exact = 1e-5;

    public static TheoryData<long[], long[], bool, bool> Shapes() => new()
    {
        { [1, 1], [1, 1], false, true },
        { [7, 33], [33, 65], false, true },
        { [3, 5, 64], [64, 17], true, true },
        { [2, 9, 16], [2, 16, 31], false, false },
        { [65, 7], [7, 1], false, true },
        { [33], [33, 9], true, true },
    };

    [Theory, MemberData(nameof(Shapes))]
    public void MatMulInteger_matches_ort(long[] aDims, long[] bDims, bool aSigned, bool bSigned)
    {
        var constant = bDims.Length == 2 ? new[] { 1, 3 } : null;
        OrtOracle.AssertMatchesOrt("MatMulInteger",
            [Bytes(1, aDims, aSigned), Bytes(2, bDims, bSigned, sevenBit: !aSigned), ZeroPoints(aSigned, 3), ZeroPoints(bSigned, 9)],
            domain: "", constantInputs: constant, rtol: 0, atol: Exact);
    }

    [Theory, MemberData(nameof(Shapes))]
    public void QLinearMatMul_matches_ort(long[] aDims, long[] bDims, bool aSigned, bool bSigned)
    {
        var constant = bDims.Length == 2 ? new[] { 3, 4, 5 } : null;
        OrtOracle.AssertMatchesOrt("QLinearMatMul",
            [
                Bytes(3, aDims, aSigned), Scales(0.05f), ZeroPoints(aSigned, aSigned ? -1 : 120),
                Bytes(4, bDims, bSigned, sevenBit: !aSigned), Scales(0.01f), ZeroPoints(bSigned, bSigned ? 0 : 128),
                Scales(0.4f), ZeroPoints(aSigned, aSigned ? 2 : 125),
            ],
            domain: "", constantInputs: constant, rtol: 0, atol: Exact);
    }

    [Fact]
    public void MatMulInteger_matches_ort_with_per_column_b_zero_points_when_threaded()
    {
        OrtOracle.AssertMatchesOrt("MatMulInteger",
            [Bytes(5, [130, 96], false), Bytes(6, [96, 257], false), ZeroPoints(false, 77), ZeroPoints(false, [.. Enumerable.Range(0, 257).Select(i => i % 200)])],
            domain: "", constantInputs: [1, 3], rtol: 0, atol: Exact, threadCount: 4);
    }
}
