using OnnxFuse.Engine.Tests.Oracles;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using static OnnxFuse.Engine.Tests.Kernels.Quantization.QuantizedTestData;

namespace OnnxFuse.Engine.Tests.Kernels.Quantization;

// Oracle: ONNX Runtime (native, one thread) on the same one-node com.microsoft QGemm model; integer outputs exact (atol 1e-5 on
// integers), since both requantize (acc + C) with a float32 multiplier and round half to even. uint8 × int8 cases use 7-bit
// weights (see QuantizedTestData.Bytes).
public sealed class QuantizedGemmKernelTests
{
    const double Exact = 1e-5;

    [Theory]
    [InlineData(false, false, false)]
    [InlineData(false, true, false)]
    [InlineData(true, false, true)]
    [InlineData(true, true, true)]
    public void QGemm_matches_ort_with_per_column_scales_and_bias(bool transA, bool transB, bool constantB)
    {
        const int rows = 3, depth = 37, columns = 19;
        TensorData?[] inputs =
        [
            Bytes(31, transA ? [depth, rows] : [rows, depth], false), Scales(0.02f), ZeroPoints(false, 121),
            Bytes(32, transB ? [columns, depth] : [depth, columns], true, sevenBit: true), ChannelScales(33, columns),
            ZeroPoints(true, [.. new int[columns]]),
            TensorData.Create<int>([columns], [.. Enumerable.Range(0, columns).Select(i => (i * 977) - 9000)]), Scales(0.07f), ZeroPoints(false, 128),
        ];
        Attr[] attributes = [Attr.Int("transA", transA ? 1 : 0), Attr.Int("transB", transB ? 1 : 0)];
        OrtOracle.AssertMatchesOrt("QGemm", inputs, attributes, constantInputs: constantB ? [3, 4, 5, 6] : null, rtol: 0, atol: Exact);
    }

    // One row (a classifier at batch 1) and two: the last panel's two-row kernel; 1000 columns end in an 8-column tile.
    [Theory]
    [InlineData(1, false)]
    [InlineData(2, true)]
    public void QGemm_matches_ort_for_one_or_two_rows(int rows, bool signedA)
    {
        const int depth = 1280, columns = 1000;
        TensorData?[] inputs =
        [
            Bytes(36, [rows, depth], signedA), Scales(0.02f), ZeroPoints(signedA, signedA ? -6 : 117), Bytes(37, [columns, depth], true, sevenBit: !signedA),
            ChannelScales(38, columns), ZeroPoints(true, [.. new int[columns]]),
            TensorData.Create<int>([columns], [.. Enumerable.Range(0, columns).Select(i => (i * 97) - 40000)]), Scales(0.5f), ZeroPoints(signedA, signedA ? 3 : 125),
        ];
        OrtOracle.AssertMatchesOrt("QGemm", inputs, [Attr.Int("transB", 1)], constantInputs: [3, 4, 5, 6], rtol: 0, atol: Exact);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void QGemm_matches_ort_with_per_tensor_int8_operands(bool withBias)
    {
        const int rows = 5, depth = 64, columns = 33;
        TensorData?[] inputs =
        [
            Bytes(34, [rows, depth], true), Scales(0.03f), ZeroPoints(true, -4), Bytes(35, [columns, depth], true), Scales(0.004f), ZeroPoints(true, 0),
            withBias ? TensorData.Create<int>([columns], [.. Enumerable.Range(0, columns).Select(i => (i * 311) - 5000)]) : null,
            Scales(0.2f), ZeroPoints(true, 3),
        ];
        OrtOracle.AssertMatchesOrt("QGemm", inputs, [Attr.Int("transB", 1)], constantInputs: [3, 4, 5, 6], rtol: 0, atol: Exact);
    }
}
