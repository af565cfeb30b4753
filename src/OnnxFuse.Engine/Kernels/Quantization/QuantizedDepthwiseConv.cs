using System.Buffers;
using System.Runtime.InteropServices;
using OnnxFuse.Engine.Kernels.Conv;
using OnnxFuse.Engine.Kernels.Threading;

namespace OnnxFuse.Engine.Kernels.Quantization;

/// <summary>
/// Direct depthwise quantized convolution (one input and one output channel per group):
/// acc[n, c, oy, ox] = Σ_{ky,kx} (x[n, c, iy, ix] − x_zero_point) · (w[c, 0, ky, kx] − w_zero_point[c]), padding contributing 0,
/// a run of channels per work item (threaded over batch × channels), written through <see cref="QuantizedConvTarget"/>. The channel
/// sum runs one of <see cref="DepthwiseSums"/>: <see cref="QuantizedDepthwiseConvInterleaved"/> for 3×3 kernels on small planes,
/// <see cref="QuantizedDepthwiseConvVector256"/> for the others with strides 1–2 without dilation, else the scalar reference
/// <see cref="ChannelScalar{T}"/>.
/// </summary>
static unsafe class QuantizedDepthwiseConv
{
    const long ParallelThreshold = 1 << 15;

    /// <summary>
    /// Largest output plane the interleaved float sums take: there they beat the int16 pairs and the float kernel
    /// (`OnnxFuse.Benchmarks int8 --depthwise`, one thread, ÷ float: 960 × 7² 0.53 against 2.8 for the pairs, 576 × 14² 0.73 against 2.6,
    /// 192 × 28² 0.93 against 2.0, 144 × 56² 1.08 against 1.33, 96 × 112² → 56² 0.76 against 0.80); at 112² outputs the pairs win
    /// (32 × 112² 1.07 against 1.16).
    /// </summary>
    const int InterleavedMaxPlane = 56 * 56;

    /// <summary>The fastest channel sum for these parameters (with what <c>ONNXFUSE_SIMD</c> allows); tests and benchmarks pass others.</summary>
    public static DepthwiseSums SumsFor(in ConvParameters p) =>
        QuantizedDepthwiseConvInterleaved.Supports(p) && p.OutputHeight * p.OutputWidth <= InterleavedMaxPlane ? DepthwiseSums.Interleaved
        : Int8Gemm.UsesVector256 && QuantizedDepthwiseConvVector256.Supports(p) ? DepthwiseSums.Int16Pairs
        : DepthwiseSums.Scalar;

    /// <summary>Runs the convolution with channel sum <paramref name="sums"/>, which must support <paramref name="p"/>.</summary>
    public static void Run(ReadOnlySpan<byte> x, bool xSigned, int xZeroPoint, ReadOnlySpan<byte> w, bool wSigned, ReadOnlySpan<int> wZeros,
        in ConvParameters p, QuantizedConvTarget target, DepthwiseSums sums)
    {
        var channelCount = p.BatchCount * p.OutputChannelCount;
        var spatial = p.OutputHeight * p.OutputWidth;
        var work = (long)channelCount * spatial * p.KernelHeight * p.KernelWidth;
        var threads = work < ParallelThreshold ? 1 : KernelThreadPool.UsableThreads(p.ThreadCount);
        // Each item pays for its buffers and the interleaved route's padded plane, so one thread takes all channels as one item and
        // more take two items each (for balance when a core is busy), in whole groups of eight so the interleaved groups stay whole.
        var channelsPerItem = threads <= 1 ? channelCount : Math.Min((channelCount + 2 * threads * 8 - 1) / (2 * threads * 8) * 8, channelCount);
        var itemCount = (channelCount + channelsPerItem - 1) / channelsPerItem;
        fixed (byte* input = x)
        fixed (byte* weights = w)
        fixed (int* zeros = wZeros)
        {
            var job = new ChannelJob(input, xSigned, xZeroPoint, weights, wSigned, zeros, wZeros.Length, p, target, sums, channelsPerItem);
            if (threads <= 1 || itemCount < 2 || !KernelThreadPool.Shared.TryRun(job, itemCount))
            {
                for (var i = 0; i < itemCount; i++)
                    job.Execute(i);
            }
        }
    }

    /// <summary>
    /// The reference channel sum: sums[oy · OW + ox] = Σ_{ky,kx} (x[iy, ix] − zeroPoint) · taps[ky · KW + kx] over one channel
    /// [H, W] of byte or sbyte (any stride, dilation and padding).
    /// </summary>
    public static void ChannelScalar<T>(ReadOnlySpan<T> input, int zeroPoint, ReadOnlySpan<int> taps, in ConvParameters p, Span<int> sums)
        where T : unmanaged
    {
        var outputWidth = p.OutputWidth;
        sums.Clear();
        for (var ky = 0; ky < p.KernelHeight; ky++)
        {
            for (var kx = 0; kx < p.KernelWidth; kx++)
            {
                var tap = taps[ky * p.KernelWidth + kx];
                for (var oy = 0; oy < p.OutputHeight; oy++)
                {
                    var iy = oy * p.StrideHeight - p.PadTop + ky * p.DilationHeight;
                    if ((uint)iy >= (uint)p.InputHeight)
                        continue;
                    var line = iy * p.InputWidth;
                    var row = sums.Slice(oy * outputWidth, outputWidth);
                    for (var ox = 0; ox < outputWidth; ox++)
                    {
                        var ix = ox * p.StrideWidth - p.PadLeft + kx * p.DilationWidth;
                        if ((uint)ix < (uint)p.InputWidth)
                            row[ox] += (Int8Values.Read(input, line + ix) - zeroPoint) * tap;
                    }
                }
            }
        }
    }

    /// <summary>Channels [index · channelsPerItem, …) of batch × channels: taps, channel sum, requantized store.</summary>
    sealed class ChannelJob(byte* x, bool xSigned, int xZeroPoint, byte* w, bool wSigned, int* wZeros, int wZeroCount, ConvParameters p,
        QuantizedConvTarget target, DepthwiseSums route, int channelsPerItem) : IParallelWork
    {
        public void Execute(int index)
        {
            var first = index * channelsPerItem;
            var end = Math.Min(first + channelsPerItem, p.BatchCount * p.OutputChannelCount);
            if (route is DepthwiseSums.Float or DepthwiseSums.Interleaved)
            {
                // The float sums store the channels themselves, requantized in the register.
                var interleaved = route == DepthwiseSums.Interleaved;
                var padded = ArrayPool<float>.Shared.Rent(interleaved ? QuantizedDepthwiseConvInterleaved.ScratchLength(p) : QuantizedDepthwiseConvFloat.ScratchLength(p));
                try
                {
                    fixed (float* scratch = padded)
                    {
                        var zeros = new ReadOnlySpan<int>(wZeros, wZeroCount);
                        if (interleaved)
                            QuantizedDepthwiseConvInterleaved.Run(x, xSigned, xZeroPoint, w, wSigned, zeros, p, target, scratch, first, end);
                        else
                            QuantizedDepthwiseConvFloat.Run(x, xSigned, xZeroPoint, w, wSigned, zeros, p, target, scratch, first, end);
                    }
                }
                finally
                {
                    ArrayPool<float>.Shared.Return(padded);
                }
                return;
            }
            var window = p.KernelHeight * p.KernelWidth;
            var plane = p.InputHeight * p.InputWidth;
            var sumsLength = QuantizedDepthwiseConvVector256.SumsLength(p);
            var pairsLength = route == DepthwiseSums.Int16Pairs ? QuantizedDepthwiseConvVector256.PairBufferLength(p) : 0;
            var buffer = ArrayPool<int>.Shared.Rent(window + sumsLength + pairsLength);
            try
            {
                var taps = buffer.AsSpan(0, window);
                var sums = buffer.AsSpan(window, sumsLength);
                var pairs = buffer.AsSpan(window + sumsLength, pairsLength);
                pairs.Clear();
                for (var item = first; item < end; item++)
                {
                    var n = item / p.OutputChannelCount;
                    var c = item % p.OutputChannelCount;
                    var wZero = wZeroCount == 0 ? 0 : wZeros[wZeroCount == 1 ? 0 : c];
                    for (var t = 0; t < window; t++)
                        taps[t] = (wSigned ? (sbyte)w[c * window + t] : w[c * window + t]) - wZero;
                    var input = new ReadOnlySpan<byte>(x + ((long)n * p.InputChannelCount + c) * plane, plane);
                    if (route == DepthwiseSums.Int16Pairs && xSigned)
                        QuantizedDepthwiseConvVector256.Channel(MemoryMarshal.Cast<byte, sbyte>(input), xZeroPoint, taps, p, pairs, sums);
                    else if (route == DepthwiseSums.Int16Pairs)
                        QuantizedDepthwiseConvVector256.Channel(input, xZeroPoint, taps, p, pairs, sums);
                    else if (xSigned)
                        ChannelScalar(MemoryMarshal.Cast<byte, sbyte>(input), xZeroPoint, taps, p, sums);
                    else
                        ChannelScalar(input, xZeroPoint, taps, p, sums);
                    target.WriteChannel(n, c, sums[..(p.OutputHeight * p.OutputWidth)]);
                }
            }
            finally
            {
                ArrayPool<int>.Shared.Return(buffer);
            }
        }
    }
}
