using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using OnnxFuse.Engine.Kernels.Conv;
using OnnxFuse.Engine.Simd;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.Quantization;

/// <summary>
/// <see cref="QuantizedDepthwiseConv"/>'s 3×3 channels computed by the float kernel <see cref="DepthwiseConv3x3Vector256"/> on
/// integer-valued floats: x − x_zero_point and w − w_zero_point are integers of magnitude ≤ 255, so each product is an integer
/// ≤ 255², and every partial sum of a window of at most <see cref="MaxExactTaps"/> of them stays below 2^24, where float32
/// represents every integer: each multiply-add (fused or not) is exact, and the sums equal the int32 accumulators bit for bit.
/// The bias starts the sums where that keeps them below 2^24 (<see cref="MaxFoldedBias"/>), so requantization
/// (<see cref="RequantizedPlaneSink{T}"/>) starts from float; a larger bias is added in int32 (<see cref="Int32BiasRequantizedPlaneSink{T}"/>),
/// as the epilogue of the other routes does. It runs the channels <see cref="QuantizedDepthwiseConvInterleaved"/> leaves over
/// (a last group of fewer than eight, a bias past the bound, int32 outputs).
/// </summary>
static unsafe class QuantizedDepthwiseConvFloat
{
    /// <summary>Most taps whose sums stay exact in float32: taps · 255² &lt; 2^24 holds up to 258.</summary>
    public const int MaxExactTaps = (1 << 24) / (255 * 255);

    /// <summary>Largest |bias| that may start a 3×3 sum: |bias| + 9 · 255² ≤ 2^24 keeps every partial sum an exact float.</summary>
    public const int MaxFoldedBias = (1 << 24) - 9 * 255 * 255;

    public static bool Supports(in ConvParameters p) =>
        Avx2.IsSupported && SimdCapability.Width >= SimdWidth.Vector256 && DepthwiseConv3x3Vector256.Applies(p)
        && p.KernelHeight * p.KernelWidth <= MaxExactTaps;

    /// <summary>Floats of the scratch <see cref="Run"/> needs: the float kernel's padded plane.</summary>
    public static int ScratchLength(in ConvParameters p) => DepthwiseConv3x3Vector256.ScratchLength(p);

    /// <summary>
    /// Output channels [first, end) of batch × channels into <paramref name="target"/>, from input x [N, C, H, W] of uint8 or int8
    /// and weights w [C, 1, 3, 3] with zero points <paramref name="wZeros"/> (none, one, or one per channel):
    /// Σ_{ky,kx} (x[n, c, iy, ix] − xZeroPoint) · (w[c, ky, kx] − w_zero_point[c]), stored as int32 or requantized in the register.
    /// <paramref name="scratch"/> holds <see cref="ScratchLength"/> floats.
    /// </summary>
    public static void Run(byte* x, bool xSigned, int xZeroPoint, byte* w, bool wSigned, ReadOnlySpan<int> wZeros, in ConvParameters p,
        QuantizedConvTarget target, float* scratch, int first, int end)
    {
        var weights = new Weights(w, wSigned, wZeros);
        if (xSigned)
            Run((sbyte*)x, xZeroPoint, weights, p, target, scratch, first, end);
        else
            Run(x, xZeroPoint, weights, p, target, scratch, first, end);
    }

    static void Run<TInput>(TInput* x, int xZeroPoint, in Weights weights, in ConvParameters p, QuantizedConvTarget target, float* scratch,
        int first, int end)
        where TInput : unmanaged
    {
        switch (target.OutputType)
        {
            case ElementType.Int32:
                fixed (int* y = target.Write<int>())
                    Channels(x, xZeroPoint, weights, p, target, y, scratch, first, end);
                break;
            case ElementType.UInt8:
                fixed (byte* y = target.Write<byte>())
                    Channels(x, xZeroPoint, weights, p, target, y, scratch, first, end);
                break;
            case ElementType.Int8:
                fixed (sbyte* y = target.Write<sbyte>())
                    Channels(x, xZeroPoint, weights, p, target, y, scratch, first, end);
                break;
            default:
                Throw.ShapeMismatch($"QLinearConv output must be uint8 or int8, got {target.OutputType.DisplayName()}");
                break;
        }
    }

    /// <summary>The per-channel loop, with the input and output types fixed so that nothing but the planes runs per channel.</summary>
    [SkipLocalsInit]
    static void Channels<TInput, TOutput>(TInput* x, int xZeroPoint, in Weights weights, in ConvParameters p, QuantizedConvTarget target,
        TOutput* y, float* scratch, int first, int end)
        where TInput : unmanaged
        where TOutput : unmanaged
    {
        var taps = stackalloc float[Vector256<float>.Count + 1];
        var channels = p.OutputChannelCount;
        var inputPlane = p.InputHeight * p.InputWidth;
        var outputPlane = p.OutputHeight * p.OutputWidth;
        for (var item = first; item < end; item++)
        {
            var n = item / channels;
            var c = item - n * channels;
            weights.Taps(c, taps);
            var source = new QuantizedPlaneSource<TInput>(x + ((long)n * p.InputChannelCount + c) * inputPlane, xZeroPoint);
            var output = y + (long)item * outputPlane;
            if (typeof(TOutput) == typeof(int))
            {
                DepthwiseConv3x3Vector256.RunPlane(source, taps, 0f, p, scratch, new Int32PlaneSink((int*)output));
                continue;
            }
            var bias = target.Bias(c);
            if (bias is >= -MaxFoldedBias and <= MaxFoldedBias)
            {
                DepthwiseConv3x3Vector256.RunPlane(source, taps, bias, p, scratch,
                    new RequantizedPlaneSink<TOutput>(output, target.Multiplier(c), target.ZeroPoint));
            }
            else
            {
                DepthwiseConv3x3Vector256.RunPlane(source, taps, 0f, p, scratch,
                    new Int32BiasRequantizedPlaneSink<TOutput>(output, target.Multiplier(c), bias, target.ZeroPoint));
            }
        }
    }

    /// <summary>Depthwise weights [C, 1, 3, 3] of uint8 or int8 with their zero points, read one channel at a time as floats.</summary>
    readonly ref struct Weights(byte* w, bool signed, ReadOnlySpan<int> zeros)
    {
        readonly ReadOnlySpan<int> _zeros = zeros;

        /// <summary>taps[t] = w[c, t] − w_zero_point[c], t &lt; 9: eight in one vector, the ninth alone.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Taps(int channel, float* taps)
        {
            var zero = _zeros.Length == 0 ? 0 : _zeros[_zeros.Length == 1 ? 0 : channel];
            var first = w + channel * 9;
            var bytes = Vector128.CreateScalarUnsafe(*(long*)first).AsByte();
            var values = signed ? Avx2.ConvertToVector256Int32(bytes.AsSByte()) : Avx2.ConvertToVector256Int32(bytes);
            Avx.ConvertToVector256Single(values - Vector256.Create(zero)).Store(taps);
            taps[8] = (signed ? (sbyte)first[8] : first[8]) - zero;
        }
    }
}
