using OnnxFuse.Engine.Kernels.Quantization;

namespace OnnxFuse.Engine.Tests.Kernels.Quantization;

// Oracle: the scalar references (the per-tensor forms of the formulas the QuantizeLinear/DequantizeLinear conformance tests
// check against ONNX's backend data); the AVX2 variants must match them bit for bit, tails included.
public sealed class PerTensorQuantizationTests
{
    public static TheoryData<int> Lengths() => [.. Enumerable.Range(0, 71).Concat([255, 256, 257, 4099])];

    [Theory, MemberData(nameof(Lengths))]
    public void Vector_quantize_equals_scalar_with_ties_saturation_and_nan(int length)
    {
        var random = new Random(length);
        float[] specials = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 1e30f, -1e30f, 0.5f * 0.02f, 2.5f * 0.02f, -1.5f * 0.02f, -0f];
        var x = Enumerable.Range(0, length).Select(i => i % 7 == 3 ? specials[i % specials.Length] : (random.NextSingle() - 0.5f) * 12f).ToArray();
        foreach (var (signed, zero) in new[] { (false, 0), (false, 131), (true, 0), (true, -7) })
        {
            var expected = new byte[length];
            var actual = new byte[length];
            PerTensorQuantization.Quantize(x, 0.02f, zero, signed, expected, vector: false);
            PerTensorQuantization.Quantize(x, 0.02f, zero, signed, actual, vector: true);
            Assert.Equal(expected, actual);
        }
    }

    [Theory, MemberData(nameof(Lengths))]
    public void Vector_dequantize_equals_scalar(int length)
    {
        var bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        foreach (var (signed, zero) in new[] { (false, 128), (true, -3) })
        {
            var expected = new float[length];
            var actual = new float[length];
            PerTensorQuantization.Dequantize(bytes, signed, zero, 0.0173f, expected, vector: false);
            PerTensorQuantization.Dequantize(bytes, signed, zero, 0.0173f, actual, vector: true);
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void Scalar_quantize_rounds_half_to_even_and_saturates()
    {
        var actual = new byte[6];
        PerTensorQuantization.Quantize([0.5f, 1.5f, 2.5f, -3f, 300f, float.NaN], 1f, 0, signed: false, actual, vector: false);
        Assert.Equal([0, 2, 2, 0, 255, 0], actual);
        PerTensorQuantization.Quantize([-0.5f, -1.5f, -200f, 200f, 126.5f, 3f], 1f, 0, signed: true, actual, vector: false);
        Assert.Equal([0, unchecked((byte)(sbyte)-2), unchecked((byte)(sbyte)-128), 127, 126, 3], actual);
    }
}
