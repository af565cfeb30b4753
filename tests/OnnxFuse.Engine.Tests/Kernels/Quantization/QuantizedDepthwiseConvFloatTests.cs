using OnnxFuse.Engine.Kernels.Conv;
using OnnxFuse.Engine.Kernels.Quantization;
using OnnxFuse.Engine.Tensors;
using OnnxFuse.Ir.Tensors;

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
        // Every third weight at 0 or 255 with the zero point at the other end, so (x − zp) · (w − w_zp) reaches 255².
        var weightZero = zeroPoint % 2 == 0 ? 255 : 0;
        var weights = Enumerable.Range(0, 9).Select(i => i % 3 == 0 ? (byte)(255 - weightZero) : (byte)random.Next(256)).ToArray();
        var zero = signed ? Math.Clamp(zeroPoint, -128, 127) : Math.Clamp(zeroPoint, 0, 255);

        var (expected, actual) = Sums(input, signed, zero, weights, weightZero, p);

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
        var weights = new byte[9];

        var (expected, actual) = Sums(input, signed, zeroPoint, weights, 255, p);

        Assert.Equal(expected, actual);
        Assert.Equal(9 * 255 * 255 * Math.Sign(zeroPoint - (signed ? (sbyte)value : value)), actual[p.OutputWidth + 1]);
    }

    public static TheoryData<int, int, bool, bool, bool> RequantizedShapes() => new()
    {
        // size, stride, signed input, signed output, per-channel scales
        { 7, 1, false, false, true }, { 7, 1, true, true, true }, { 14, 2, false, true, false }, { 13, 1, true, false, true },
        { 28, 1, false, false, false }, { 9, 2, true, true, true }, { 3, 1, false, false, true },
        // Stride-2 rows wider than one vector: the ring of padded rows.
        { 56, 2, false, false, true }, { 33, 2, true, false, false },
    };

    [Theory, MemberData(nameof(RequantizedShapes))]
    public void Requantized_outputs_equal_the_scalar_route_with_bias_zero_points_and_two_threads(int size, int stride, bool signedInput,
        bool signedOutput, bool perChannel)
    {
        const int Channels = 40;
        var p = Parameters(size, size, stride, 1, 1, 1, 1) with
        {
            BatchCount = 2,
            InputChannelCount = Channels,
            OutputChannelCount = Channels,
            GroupCount = Channels,
            ThreadCount = 2,
        };
        if (!QuantizedDepthwiseConvFloat.Supports(p))
            return;
        var random = new Random(size * 10 + stride);
        var x = new byte[2 * Channels * size * size];
        var w = new byte[Channels * 9];
        random.NextBytes(x);
        random.NextBytes(w);
        // Multipliers from tiny to large, so outputs saturate at both ends; biases past ±2^24 (the int32 addition must stay exact).
        var multipliers = Enumerable.Range(0, perChannel ? Channels : 1).Select(i => 1e-5f * MathF.Pow(1.4f, i)).ToArray();
        var bias = Enumerable.Range(0, Channels).Select(i => (i - 20) * (i % 5 == 0 ? 1_000_003 : 977)).ToArray();
        int[] wZeros = signedInput ? [] : [.. Enumerable.Range(0, Channels).Select(i => i % 7 - 3)];
        var (xZero, yZero) = signedInput ? (-5, signedOutput ? 3 : 130) : (131, signedOutput ? -7 : 120);

        var expected = Run(DepthwiseSums.Scalar);
        var actual = Run(DepthwiseSums.Float);

        Assert.Equal(expected, actual);

        byte[] Run(DepthwiseSums sums)
        {
            var output = new RuntimeTensor();
            output.Allocate(signedOutput ? ElementType.Int8 : ElementType.UInt8, [2, Channels, p.OutputHeight, p.OutputWidth], new BufferPool());
            var spatial = p.OutputHeight * p.OutputWidth;
            var target = new QuantizedConvTarget(output, multipliers, bias, yZero, Channels * spatial, spatial);
            QuantizedDepthwiseConv.Run(x, signedInput, xZero, w, true, wZeros, p, target, sums);
            return output.Bytes.ToArray();
        }
    }

    [Theory]
    [InlineData(7)]
    [InlineData(14)]
    public void Biases_at_the_folding_bound_and_past_it_give_the_scalar_routes_bytes(int size)
    {
        // Sums near ±9 · 255 · 128 (x at 0 or 255, w at 0 or 255 around a zero point of 128) on top of biases at and just past
        // ±MaxFoldedBias: the folded ones start the float sums, the others are added in int32; both must stay exact.
        const int Channels = 8;
        var p = Parameters(size, size, 1, 1, 1, 1, 1) with { InputChannelCount = Channels, OutputChannelCount = Channels, GroupCount = Channels };
        if (!QuantizedDepthwiseConvFloat.Supports(p))
            return;
        var x = Enumerable.Range(0, Channels * size * size).Select(i => (byte)(i / (size * size) % 2 == 0 ? 255 : 0)).ToArray();
        var w = Enumerable.Range(0, Channels * 9).Select(i => (byte)(i / 9 % 4 < 2 ? 255 : 0)).ToArray();
        var bound = QuantizedDepthwiseConvFloat.MaxFoldedBias;
        int[] bias = [bound, -bound, bound + 1, -bound - 1, bound - 1, -bound + 1, int.MaxValue - 600_000, int.MinValue + 600_000];
        // A multiplier that keeps outputs inside the range for these sums, so a rounding slip would change the bytes.
        var multipliers = new[] { 3e-6f };

        var expected = Run(DepthwiseSums.Scalar);
        var actual = Run(DepthwiseSums.Float);

        Assert.Equal(expected, actual);

        byte[] Run(DepthwiseSums sums)
        {
            var output = new RuntimeTensor();
            output.Allocate(ElementType.UInt8, [1, Channels, p.OutputHeight, p.OutputWidth], new BufferPool());
            var spatial = p.OutputHeight * p.OutputWidth;
            var target = new QuantizedConvTarget(output, multipliers, bias, 128, Channels * spatial, spatial);
            QuantizedDepthwiseConv.Run(x, false, 0, w, false, [128], p, target, sums);
            return output.Bytes.ToArray();
        }
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

    /// <summary>
    /// The scalar reference's sums and the float route's (int32 output, as ConvInteger) for uint8 weights with one zero point, the
    /// latter as the second image of a batch of two, so its scratch held the first image's plane before.
    /// </summary>
    static (int[] Expected, int[] Actual) Sums(byte[] input, bool signed, int zeroPoint, byte[] weights, int weightZero, ConvParameters p)
    {
        var plane = p.OutputHeight * p.OutputWidth;
        var taps = weights.Select(w => w - weightZero).ToArray();
        var expected = new int[plane];
        if (signed)
            QuantizedDepthwiseConv.ChannelScalar<sbyte>(input.Select(b => unchecked((sbyte)b)).ToArray(), zeroPoint, taps, p, expected);
        else
            QuantizedDepthwiseConv.ChannelScalar<byte>(input, zeroPoint, taps, p, expected);
        var batch = p with { BatchCount = 2 };
        var output = new RuntimeTensor();
        output.Allocate(ElementType.Int32, [2, 1, p.OutputHeight, p.OutputWidth], new BufferPool());
        var target = new QuantizedConvTarget(output, null, null, 0, plane, plane);
        var previous = Enumerable.Range(0, input.Length).Select(i => (byte)(255 - i % 7));
        QuantizedDepthwiseConv.Run([.. previous, .. input], signed, zeroPoint, weights, false, [weightZero], batch, target, DepthwiseSums.Float);
        return (expected, output.Read<int>()[plane..].ToArray());
    }
}
