using OnnxFuse.Engine.Kernels.Conv;
using OnnxFuse.Engine.Kernels.Quantization;

namespace OnnxFuse.Engine.Tests.Kernels.Quantization;

// Oracle: the scalar reference channel sum (QuantizedDepthwiseConv.ChannelScalar), itself checked against ONNX Runtime
// through QLinearConv in QuantizedConvKernelTests; the float route's int32 sums must equal it exactly (no tolerance).
public sealed class QuantizedDepthwiseConvFloatTests
{
    public static TheoryData<int, int, int, int, int, int, int, int, bool> Shapes()
    {
        var data = new TheoryData<int, int, int, int, int, int, int, int, bool>();
        foreach (var signed in new[] { false, true })
        {
            // height, width, stride, pad top, left, bottom, right, zero point
            data.Add(7, 7, 1, 1, 1, 1, 1, 128, signed);
            data.Add(14, 14, 1, 1, 1, 1, 1, 3, signed);
            data.Add(14, 14, 2, 1, 1, 1, 1, -7, signed);
            data.Add(14, 14, 2, 0, 0, 1, 1, 250, signed);
            data.Add(1, 1, 1, 1, 1, 1, 1, 17, signed);
            data.Add(2, 3, 2, 1, 1, 1, 1, 0, signed);
            data.Add(5, 9, 1, 0, 0, 0, 0, 60, signed);
            data.Add(3, 16, 1, 2, 2, 2, 2, 9, signed);
            data.Add(9, 33, 2, 1, 0, 2, 1, 100, signed);
            data.Add(13, 31, 1, 0, 1, 1, 0, -128, signed);
            data.Add(11, 257, 2, 1, 1, 1, 1, 127, signed);
            data.Add(28, 28, 1, 1, 1, 1, 1, 121, signed);
            data.Add(56, 56, 2, 1, 1, 1, 1, 40, signed);
            data.Add(112, 112, 1, 1, 1, 1, 1, 200, signed);
        }
        return data;
    }

    [Theory, MemberData(nameof(Shapes))]
    public void Float_channel_sums_equal_the_scalar_reference(int height, int width, int stride, int padTop, int padLeft, int padBottom,
        int padRight, int zeroPoint, bool signed)
    {
        var p = Parameters(height, width, stride, padTop, padLeft, padBottom, padRight);
        if (!QuantizedDepthwiseConvFloat.Supports(p))
            return;
        var random = new Random(height * 1000 + width * 10 + stride);
        var input = new byte[height * width];
        random.NextBytes(input);
        // Every third tap at ±255, so (x − zp) · tap reaches 255² and the sums their largest magnitudes.
        var taps = Enumerable.Range(0, 9).Select(i => i % 3 == 0 ? (i % 2 == 0 ? 255 : -255) : random.Next(-255, 256)).ToArray();
        var zero = signed ? Math.Clamp(zeroPoint, -128, 127) : Math.Clamp(zeroPoint, 0, 255);

        var (expected, actual) = Sums(input, signed, zero, taps, p);

        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData(false, 255, 0)]
    [InlineData(false, 0, 255)]
    [InlineData(true, 127, -128)]
    [InlineData(true, -128, 127)]
    public void Sums_stay_exact_at_the_largest_magnitude_nine_taps_reach(bool signed, int zeroPoint, int value)
    {
        // All nine products at ±255² (|x − zp| = 255, |tap| = 255): the interior sums are ±9 · 255² = ±585,225 < 2^24.
        var p = Parameters(6, 11, 1, 1, 1, 1, 1);
        if (!QuantizedDepthwiseConvFloat.Supports(p))
            return;
        var input = Enumerable.Repeat(unchecked((byte)value), 6 * 11).ToArray();
        var taps = Enumerable.Repeat(-255, 9).ToArray();

        var (expected, actual) = Sums(input, signed, zeroPoint, taps, p);

        Assert.Equal(expected, actual);
        Assert.Equal(9 * 255 * 255 * Math.Sign(zeroPoint - (signed ? (sbyte)value : value)), actual[p.OutputWidth + 1]);
    }

    [Fact]
    public void Exactness_bound_allows_258_taps_and_other_geometries_take_other_routes()
    {
        Assert.Equal(258, QuantizedDepthwiseConvFloat.MaxExactTaps);
        Assert.True(258L * 255 * 255 < 1 << 24);
        Assert.True(259L * 255 * 255 >= 1 << 24);
        var p = Parameters(9, 9, 1, 1, 1, 1, 1);
        Assert.False(QuantizedDepthwiseConvFloat.Supports(p with { KernelHeight = 5, KernelWidth = 5 }));
        Assert.False(QuantizedDepthwiseConvFloat.Supports(p with { DilationWidth = 2 }));
        Assert.False(QuantizedDepthwiseConvFloat.Supports(p with { StrideWidth = 2 }));
    }

    static ConvParameters Parameters(int height, int width, int stride, int padTop, int padLeft, int padBottom, int padRight) =>
        new(1, 1, height, width, 1, 3, 3)
        {
            GroupCount = 1,
            StrideHeight = stride,
            StrideWidth = stride,
            PadTop = padTop,
            PadLeft = padLeft,
            PadBottom = padBottom,
            PadRight = padRight,
        };

    /// <summary>The scalar reference's sums and the float route's, the latter from a reused buffer holding another channel first.</summary>
    static (int[] Expected, int[] Actual) Sums(byte[] input, bool signed, int zeroPoint, int[] taps, ConvParameters p)
    {
        var plane = p.OutputHeight * p.OutputWidth;
        var expected = new int[plane];
        var actual = new int[plane];
        var buffer = new float[QuantizedDepthwiseConvFloat.BufferLength(p)];
        var previous = Enumerable.Range(0, input.Length).Select(i => (byte)(255 - i % 7)).ToArray();
        if (signed)
        {
            var values = input.Select(b => unchecked((sbyte)b)).ToArray();
            QuantizedDepthwiseConv.ChannelScalar<sbyte>(values, zeroPoint, taps, p, expected);
            QuantizedDepthwiseConvFloat.Channel<sbyte>(previous.Select(b => unchecked((sbyte)b)).ToArray(), zeroPoint, taps, p, buffer, actual);
            QuantizedDepthwiseConvFloat.Channel<sbyte>(values, zeroPoint, taps, p, buffer, actual);
        }
        else
        {
            QuantizedDepthwiseConv.ChannelScalar<byte>(input, zeroPoint, taps, p, expected);
            QuantizedDepthwiseConvFloat.Channel<byte>(previous, zeroPoint, taps, p, buffer, actual);
            QuantizedDepthwiseConvFloat.Channel<byte>(input, zeroPoint, taps, p, buffer, actual);
        }
        return (expected, actual);
    }
}
