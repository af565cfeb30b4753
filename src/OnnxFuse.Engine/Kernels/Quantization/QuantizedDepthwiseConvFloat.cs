using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using OnnxFuse.Engine.Kernels.Conv;
using OnnxFuse.Engine.Simd;

namespace OnnxFuse.Engine.Kernels.Quantization;

/// <summary>
/// <see cref="QuantizedDepthwiseConv"/>'s 3×3 channel sum computed by the float kernel <see cref="DepthwiseConv3x3Vector256"/>
/// on integer-valued floats: x − x_zero_point and w − w_zero_point are integers of magnitude ≤ 255, so each product is an
/// integer ≤ 255², and every partial sum of a window of at most <see cref="MaxExactTaps"/> of them stays below 2^24, where
/// float32 represents every integer: each multiply-add (fused or not) is exact, and the sums equal the int32 accumulators
/// bit for bit. The bias is not added here: the requantizing epilogue adds it in int32 as for the other paths. On small
/// planes this beats <see cref="QuantizedDepthwiseConvVector256"/>, whose int16 row pairs cost more than its sums.
/// </summary>
static unsafe class QuantizedDepthwiseConvFloat
{
    /// <summary>Most taps whose sums stay exact in float32: taps · 255² &lt; 2^24 holds up to 258.</summary>
    public const int MaxExactTaps = (1 << 24) / (255 * 255);

    public static bool Supports(in ConvParameters p) =>
        Avx2.IsSupported && SimdCapability.Width >= SimdWidth.Vector256 && DepthwiseConv3x3Vector256.Applies(p)
        && p.KernelHeight * p.KernelWidth <= MaxExactTaps;

    /// <summary>Floats of the buffer <see cref="Channel{T}"/> needs: the converted plane, then the float kernel's scratch.</summary>
    public static int BufferLength(in ConvParameters p) => p.InputHeight * p.InputWidth + DepthwiseConv3x3Vector256.ScratchLength(p);

    /// <summary>
    /// sums[oy · OW + ox] = Σ_{ky,kx} (x[iy, ix] − zeroPoint) · taps[ky · 3 + kx] for one channel [H, W] of byte or sbyte;
    /// <paramref name="sums"/> holds at least OH · OW ints, <paramref name="buffer"/> <see cref="BufferLength"/> floats.
    /// </summary>
    [SkipLocalsInit]
    public static void Channel<T>(ReadOnlySpan<T> input, int zeroPoint, ReadOnlySpan<int> taps, in ConvParameters p, Span<float> buffer, Span<int> sums)
        where T : unmanaged
    {
        var plane = p.InputHeight * p.InputWidth;
        var floatTaps = stackalloc float[9];
        for (var t = 0; t < 9; t++)
            floatTaps[t] = taps[t];
        fixed (T* source = input)
        fixed (float* image = buffer)
        fixed (int* target = sums)
        {
            ToFloat((byte*)source, typeof(T) == typeof(sbyte), zeroPoint, plane, image);
            // The kernel stores float vectors; ToInt32Bits makes them the int32 sums' bits, so the plane lands in sums as ints.
            DepthwiseConv3x3Vector256.RunPlane(image, floatTaps, 0f, p, default(ToInt32Bits), image + plane, (float*)target);
        }
    }

    /// <summary>target[i] = source[i] − zeroPoint for <paramref name="count"/> bytes or sbytes, as floats (exact: |·| ≤ 255).</summary>
    static void ToFloat(byte* source, bool signed, int zeroPoint, int count, float* target)
    {
        var zero = Vector256.Create(zeroPoint);
        var i = 0;
        for (; i + 8 <= count; i += 8)
        {
            var widened = signed ? Avx2.ConvertToVector256Int32((sbyte*)source + i) : Avx2.ConvertToVector256Int32(source + i);
            Avx.Store(target + i, Avx.ConvertToVector256Single(widened - zero));
        }
        for (; i < count; i++)
            target[i] = (signed ? (sbyte)source[i] : source[i]) - zeroPoint;
    }

    /// <summary>
    /// Rounds integer-valued floats to int32 and returns the int32 bits in a float vector: no rounding happens (the
    /// values are already integers), and the float kernel's store then writes int32 accumulators.
    /// </summary>
    readonly struct ToInt32Bits : IUnaryOp
    {
        public float Invoke(float x) => BitConverter.Int32BitsToSingle((int)x);
        public Vector128<float> Invoke(Vector128<float> x) => Vector128.ConvertToInt32(x).AsSingle();
        public Vector256<float> Invoke(Vector256<float> x) => Avx.ConvertToVector256Int32(x).AsSingle();
        public Vector512<float> Invoke(Vector512<float> x) => Vector512.ConvertToInt32(x).AsSingle();
    }
}
