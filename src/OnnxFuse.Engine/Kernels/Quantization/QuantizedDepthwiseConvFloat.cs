using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using OnnxFuse.Engine.Kernels.Conv;
using OnnxFuse.Engine.Simd;

namespace OnnxFuse.Engine.Kernels.Quantization;

/// <summary>
/// <see cref="QuantizedDepthwiseConv"/>'s 3×3 channel sum computed by the float kernel <see cref="DepthwiseConv3x3Vector256"/>
/// on integer-valued floats: x − x_zero_point and w − w_zero_point are integers of magnitude ≤ 255, so each product is an
/// integer ≤ 255², and every partial sum of a window of at most <see cref="MaxExactTaps"/> of them stays below 2^24, where
/// float32 represents every integer: each multiply-add (fused or not) is exact, and the sums equal the int32 accumulators
/// bit for bit. The bias stays out of the float sums: <see cref="RequantizedPlaneSink{T}"/> adds it in int32, as the epilogue
/// of the other routes does. On small planes this beats <see cref="QuantizedDepthwiseConvVector256"/>, whose int16 row pairs
/// cost more than its sums.
/// </summary>
static unsafe class QuantizedDepthwiseConvFloat
{
    /// <summary>Most taps whose sums stay exact in float32: taps · 255² &lt; 2^24 holds up to 258.</summary>
    public const int MaxExactTaps = (1 << 24) / (255 * 255);

    public static bool Supports(in ConvParameters p) =>
        Avx2.IsSupported && SimdCapability.Width >= SimdWidth.Vector256 && DepthwiseConv3x3Vector256.Applies(p)
        && p.KernelHeight * p.KernelWidth <= MaxExactTaps;

    /// <summary>Floats of the scratch <see cref="Channel{T}"/> needs: the float kernel's padded plane.</summary>
    public static int ScratchLength(in ConvParameters p) => DepthwiseConv3x3Vector256.ScratchLength(p);

    /// <summary>
    /// Output channel <paramref name="channel"/> of batch entry n of <paramref name="target"/> from one input channel [H, W] of
    /// byte or sbyte: Σ_{ky,kx} (x[iy, ix] − zeroPoint) · taps[ky · 3 + kx], converted to float as the kernel pads the plane
    /// into <paramref name="scratch"/> (<see cref="ScratchLength"/> floats), requantized or stored as int32 in the register.
    /// </summary>
    [SkipLocalsInit]
    public static void Channel<T>(ReadOnlySpan<T> input, int zeroPoint, ReadOnlySpan<int> taps, in ConvParameters p, Span<float> scratch,
        QuantizedConvTarget target, int n, int channel)
        where T : unmanaged
    {
        var floatTaps = stackalloc float[9];
        for (var t = 0; t < 9; t++)
            floatTaps[t] = taps[t];
        fixed (T* source = input)
        fixed (float* padded = scratch)
            target.RunDepthwise3x3(new QuantizedPlaneSource<T>(source, zeroPoint), floatTaps, p, padded, n, channel);
    }
}
