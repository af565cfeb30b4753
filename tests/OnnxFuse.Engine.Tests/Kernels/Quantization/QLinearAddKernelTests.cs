using OnnxFuse.Engine.Kernels.Quantization;
using OnnxFuse.Engine.Tests.Oracles;
using OnnxFuse.Ir.Tensors;
using static OnnxFuse.Engine.Tests.Kernels.Quantization.QuantizedTestData;

namespace OnnxFuse.Engine.Tests.Kernels.Quantization;

// Oracles: ONNX Runtime (native, one thread) on the same one-node com.microsoft QLinearAdd model, integer outputs exact (atol
// 1e-5 on integers: both compute MLAS's reassociated float32 sum with fused multiply-adds and round half to even); and the scalar
// reference, which the AVX2 variant must match bit for bit at every tail length.
public sealed class QLinearAddKernelTests
{
    const double Exact = 1e-5;

    public static TheoryData<int> Lengths() => [.. Enumerable.Range(0, 71).Concat([255, 256, 257, 4099])];

    [Theory, MemberData(nameof(Lengths))]
    public void Vector_addition_equals_scalar_at_every_tail_length(int length)
    {
        var left = new byte[length];
        var right = new byte[length];
        new Random(length).NextBytes(left);
        new Random(length + 1000).NextBytes(right);
        foreach (var signed in new[] { false, true })
        {
            // Ratios above and below 1 and an output scale small enough to saturate part of the range.
            var addition = QuantizedAddition.Create(0.031f, signed ? -5 : 131, 0.017f, signed ? 9 : 120, 0.023f, signed ? -2 : 128, signed);
            foreach (var fixedRight in new[] { false, true })
            {
                var other = fixedRight ? [] : right;
                var offset = fixedRight ? addition.OffsetWithRight(addition.Value(77)) : addition.Offset;
                var expected = new byte[length];
                var actual = new byte[length];
                addition.Run(left, addition.LeftRatio, other, addition.RightRatio, offset, expected, vector: false);
                addition.Run(left, addition.LeftRatio, other, addition.RightRatio, offset, actual, vector: true);
                Assert.Equal(expected, actual);
            }
        }
    }

    [Fact]
    public void Scalar_addition_rounds_half_to_even_and_saturates()
    {
        // Scales 1 and zero points 0: c = a + b exactly, then halved by s_c = 2 — 1/2 → 0, 3/2 → 2, 5/2 → 2; 200 + 200 saturates.
        var addition = QuantizedAddition.Create(1f, 0, 1f, 0, 2f, 0, signed: false);
        var actual = new byte[4];
        addition.Run([1, 3, 5, 200], addition.LeftRatio, [0, 0, 0, 200], addition.RightRatio, addition.Offset, actual, vector: false);
        Assert.Equal([0, 2, 2, 200], actual);
        var saturating = QuantizedAddition.Create(1f, 0, 1f, 0, 1f, 0, signed: true);
        saturating.Run([100, unchecked((byte)(sbyte)-100)], 1f, [100, unchecked((byte)(sbyte)-100)], 1f, saturating.Offset, actual.AsSpan(0, 2), vector: false);
        Assert.Equal([127, unchecked((byte)(sbyte)-128)], actual[..2]);
    }

    public static TheoryData<long[], long[], bool> Broadcasts() => new()
    {
        { [2, 3, 17, 19], [2, 3, 17, 19], false }, { [2, 3, 17, 19], [2, 3, 17, 19], true },
        { [1, 5, 7, 9], [], false }, { [], [1, 5, 7, 9], true },
        { [1, 6, 5, 7], [1, 6, 1, 1], false }, { [1, 6, 1, 1], [1, 6, 5, 7], true },
        { [4, 33], [33], false }, { [4, 1, 3], [1, 5, 3], true },
    };

    [Theory, MemberData(nameof(Broadcasts))]
    public void QLinearAdd_matches_ort_with_broadcasting(long[] leftDims, long[] rightDims, bool signed)
    {
        TensorData?[] inputs =
        [
            Bytes(21, leftDims, signed), Scales(0.031f), ZeroPoints(signed, signed ? -5 : 131),
            Bytes(22, rightDims, signed), Scales(0.017f), ZeroPoints(signed, signed ? 9 : 120),
            Scales(0.023f), ZeroPoints(signed, signed ? -2 : 128),
        ];
        OrtOracle.AssertMatchesOrt("QLinearAdd", inputs, rtol: 0, atol: Exact);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void QLinearAdd_matches_ort_with_zero_points_of_zero_when_threaded(bool signed)
    {
        // [1, 24, 56, 56]: mobilenet_v2's largest residual Add, split in two at 2 threads.
        TensorData?[] inputs =
        [
            Bytes(23, [1, 24, 56, 56], signed), Scales(0.05f), ZeroPoints(signed, 0), Bytes(24, [1, 24, 56, 56], signed), Scales(0.2f), ZeroPoints(signed, 0),
            Scales(0.11f), ZeroPoints(signed, 0),
        ];
        OrtOracle.AssertMatchesOrt("QLinearAdd", inputs, rtol: 0, atol: Exact, threadCount: 2);
    }
}
