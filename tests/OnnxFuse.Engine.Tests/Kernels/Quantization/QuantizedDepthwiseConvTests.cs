using OnnxFuse.Engine.Kernels.Conv;
using OnnxFuse.Engine.Kernels.Quantization;

namespace OnnxFuse.Engine.Tests.Kernels.Quantization;

// Oracle: the scalar reference channel sum (ChannelScalar), itself checked against ONNX Runtime through QLinearConv in
// QuantizedConvKernelTests; the AVX2 variant's int32 sums must equal it exactly.
public sealed class QuantizedDepthwiseConvTests
{
    public static TheoryData<int, int, int, int, int, int, bool> Shapes()
    {
        var data = new TheoryData<int, int, int, int, int, int, bool>();
        foreach (var signed in new[] { false, true })
        {
            // height, width, kernel, stride, pad (all sides), zero point
            data.Add(1, 1, 1, 1, 0, 3, signed);
            data.Add(5, 7, 3, 1, 1, 17, signed);
            data.Add(8, 8, 3, 2, 1, -5, signed);
            data.Add(9, 33, 3, 1, 1, 100, signed);
            data.Add(14, 17, 3, 2, 0, 0, signed);
            data.Add(13, 31, 5, 1, 2, 60, signed);
            data.Add(12, 40, 5, 2, 2, -128, signed);
            data.Add(6, 70, 2, 1, 0, 1, signed);
            data.Add(11, 257, 3, 2, 1, 127, signed);
            data.Add(3, 16, 3, 1, 2, 9, signed);
            data.Add(4, 15, 4, 2, 3, 250, signed);
        }
        return data;
    }

    [Theory, MemberData(nameof(Shapes))]
    public void Vector_channel_sums_equal_the_scalar_reference(int height, int width, int kernel, int stride, int pad, int zeroPoint, bool signed)
    {
        if (!QuantizedDepthwiseConvVector256.Supports(new ConvParameters(1, 1, 1, 1, 1, 1, 1)))
            return;
        var p = new ConvParameters(1, 1, height, width, 1, kernel, kernel)
        {
            StrideHeight = stride,
            StrideWidth = stride,
            PadTop = pad,
            PadLeft = pad,
            PadBottom = pad,
            PadRight = pad,
        };
        var random = new Random(height * 1000 + width * 10 + kernel);
        var input = new byte[height * width];
        random.NextBytes(input);
        // Extreme taps: (x − zp) up to ±255 times ±255 per term, so vpmaddwd's int32 pair sums are exercised at their largest.
        var taps = Enumerable.Range(0, kernel * kernel).Select(i => i % 3 == 0 ? 255 : random.Next(-255, 256)).ToArray();
        var zero = signed ? Math.Clamp(zeroPoint, -128, 127) : Math.Clamp(zeroPoint, 0, 255);

        var expected = new int[QuantizedDepthwiseConvVector256.SumsLength(p)];
        var actual = new int[expected.Length];
        // One buffer for two channels, as the kernel reuses it: the first channel's values must not leak into the padding.
        var pairs = new int[QuantizedDepthwiseConvVector256.PairBufferLength(p)];
        var previous = Enumerable.Range(0, input.Length).Select(i => (byte)(255 - i % 7)).ToArray();
        if (signed)
        {
            var values = input.Select(b => unchecked((sbyte)b)).ToArray();
            QuantizedDepthwiseConv.ChannelScalar<sbyte>(values, zero, taps, p, expected);
            QuantizedDepthwiseConvVector256.Channel<sbyte>(previous.Select(b => unchecked((sbyte)b)).ToArray(), zero, taps, p, pairs, actual);
            QuantizedDepthwiseConvVector256.Channel<sbyte>(values, zero, taps, p, pairs, actual);
        }
        else
        {
            QuantizedDepthwiseConv.ChannelScalar<byte>(input, zero, taps, p, expected);
            QuantizedDepthwiseConvVector256.Channel<byte>(previous, zero, taps, p, pairs, actual);
            QuantizedDepthwiseConvVector256.Channel<byte>(input, zero, taps, p, pairs, actual);
        }
        var plane = p.OutputHeight * p.OutputWidth;
        Assert.Equal(expected[..plane], actual[..plane]);
    }

    [Fact]
    public void Dilated_and_stride_3_convolutions_take_the_scalar_path()
    {
        var p = new ConvParameters(1, 4, 9, 9, 4, 3, 3) { GroupCount = 4 };
        Assert.False(QuantizedDepthwiseConvVector256.Supports(p with { DilationWidth = 2 }));
        Assert.False(QuantizedDepthwiseConvVector256.Supports(p with { StrideWidth = 3 }));
    }
}
