using OnnxFuse.Engine.Kernels.Conv;
using OnnxFuse.Engine.Kernels.Quantization;
using OnnxFuse.Engine.Tensors;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Tests.Kernels.Quantization;

// Oracle: the scalar reference route (QuantizedDepthwiseConv.ChannelScalar + RequantizeEpilogue), itself checked against ONNX
// Runtime through QLinearConv in QuantizedConvKernelTests; the interleaved route's bytes must equal it exactly (no tolerance).
public sealed class QuantizedDepthwiseConvInterleavedTests
{
    public static TheoryData<int, int, int, int, int, int, int, int> Shapes() => new()
    {
        // height, width, stride, pad top, left, bottom, right, channels (not a multiple of 8: the rest run the float route)
        { 7, 7, 1, 1, 1, 1, 1, 16 },
        { 14, 14, 1, 1, 1, 1, 1, 24 },
        { 14, 14, 2, 1, 1, 1, 1, 16 },
        { 14, 14, 2, 0, 0, 1, 1, 19 },
        { 28, 28, 1, 1, 1, 1, 1, 8 },
        { 28, 28, 2, 1, 1, 1, 1, 11 },
        { 1, 1, 1, 1, 1, 1, 1, 9 },
        { 2, 3, 2, 1, 1, 1, 1, 8 },
        { 5, 9, 1, 0, 0, 0, 0, 16 },
        { 3, 16, 1, 2, 2, 2, 2, 8 },
        { 9, 33, 2, 1, 0, 2, 1, 13 },
        { 13, 31, 1, 0, 1, 1, 0, 8 },
        { 4, 2, 1, 1, 1, 1, 1, 7 },
        { 56, 56, 2, 1, 1, 1, 1, 8 },
    };

    [Theory, MemberData(nameof(Shapes))]
    public void Requantized_outputs_equal_the_scalar_route(int height, int width, int stride, int padTop, int padLeft, int padBottom, int padRight,
        int channels)
    {
        var p = new ConvParameters(2, channels, height, width, channels, 3, 3)
        {
            GroupCount = channels,
            StrideHeight = stride,
            StrideWidth = stride,
            PadTop = padTop,
            PadLeft = padLeft,
            PadBottom = padBottom,
            PadRight = padRight,
        };
        foreach (var (signedInput, signedOutput, perChannel) in new[] { (false, false, true), (true, true, false), (false, true, false), (true, false, true) })
        {
            var seed = height * 1000 + width * 10 + stride + (signedInput ? 7 : 0);
            var expected = Run(p, seed, signedInput, signedOutput, perChannel, DepthwiseSums.Scalar);
            var actual = Run(p, seed, signedInput, signedOutput, perChannel, DepthwiseSums.Interleaved);
            Assert.Equal(expected, actual);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Two_threads_and_biases_past_the_folding_bound_give_the_scalar_routes_bytes(int stride)
    {
        // 40 channels of 7×7 over two threads (whole groups of eight per item); every fifth bias past ±MaxFoldedBias sends its
        // group to the float route, which adds it in int32.
        var p = new ConvParameters(2, 40, 7, 7, 40, 3, 3)
        {
            GroupCount = 40,
            StrideHeight = stride,
            StrideWidth = stride,
            PadTop = 1,
            PadLeft = 1,
            PadBottom = 1,
            PadRight = 1,
            ThreadCount = 2,
        };

        var expected = Run(p, 5, false, false, true, DepthwiseSums.Scalar, largeBiases: true);
        var actual = Run(p, 5, false, false, true, DepthwiseSums.Interleaved, largeBiases: true);

        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Int32_outputs_take_the_float_route_and_equal_the_scalar_sums()
    {
        var p = new ConvParameters(1, 16, 9, 9, 16, 3, 3) { GroupCount = 16, PadTop = 1, PadLeft = 1, PadBottom = 1, PadRight = 1 };
        var random = new Random(3);
        var x = new byte[16 * 81];
        var w = new byte[16 * 9];
        random.NextBytes(x);
        random.NextBytes(w);

        int[] Sums(DepthwiseSums route)
        {
            var output = new RuntimeTensor();
            output.Allocate(ElementType.Int32, [1, 16, 9, 9], new BufferPool());
            QuantizedDepthwiseConv.Run(x, false, 100, w, true, [3], p, new QuantizedConvTarget(output, null, null, 0, 16 * 81, 81), route);
            return output.Read<int>().ToArray();
        }

        Assert.Equal(Sums(DepthwiseSums.Scalar), Sums(DepthwiseSums.Interleaved));
    }

    static byte[] Run(ConvParameters p, int seed, bool signedInput, bool signedOutput, bool perChannel, DepthwiseSums route, bool largeBiases = false)
    {
        var channels = p.OutputChannelCount;
        var random = new Random(seed);
        var x = new byte[p.BatchCount * channels * p.InputHeight * p.InputWidth];
        var w = new byte[channels * 9];
        random.NextBytes(x);
        random.NextBytes(w);
        // Multipliers from tiny to large, so outputs saturate at both ends; zero points away from 0 on every operand.
        var multipliers = Enumerable.Range(0, perChannel ? channels : 1).Select(i => 2e-5f * MathF.Pow(1.3f, i % 24)).ToArray();
        var bias = Enumerable.Range(0, channels).Select(i => (i - 20) * (largeBiases && i % 5 == 0 ? 1_000_003 : 977)).ToArray();
        int[] wZeros = signedInput ? [] : [.. Enumerable.Range(0, channels).Select(i => i % 7 - 3)];
        var (xZero, yZero) = signedInput ? (-5, signedOutput ? 3 : 130) : (131, signedOutput ? -7 : 120);
        var output = new RuntimeTensor();
        output.Allocate(signedOutput ? ElementType.Int8 : ElementType.UInt8, [p.BatchCount, channels, p.OutputHeight, p.OutputWidth], new BufferPool());
        var spatial = p.OutputHeight * p.OutputWidth;
        var target = new QuantizedConvTarget(output, multipliers, bias, yZero, channels * spatial, spatial);
        QuantizedDepthwiseConv.Run(x, signedInput, xZero, w, !signedInput, wZeros, p, target, route);
        return output.Bytes.ToArray();
    }
}
