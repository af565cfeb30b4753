using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace OnnxFuse.Engine.Kernels.Quantization;

/// <summary>
/// The requantizing narrowing of the int8 kernels' fast paths (the GEMM epilogue's row pairs, the depthwise plane sink, the
/// interleaved depthwise route): scaled values capped at 32767, so that cvtps2dq cannot wrap a large positive value to
/// int.MinValue, rounded half to even by cvtps2dq, narrowed to int16 with saturation, the zero point added with saturation, then
/// narrowed to bytes with saturation. Each saturation lands on the bound the reference's clamp gives, since |zeroPoint| ≤ 255 is
/// far from ±32767. AVX2; every caller's exactness rests on this one definition.
/// </summary>
static class RequantizeNarrowing
{
    /// <summary>
    /// Two vectors of scaled values as sixteen int16 with the zero point added; per 128-bit lane, <paramref name="first"/>'s four
    /// then <paramref name="second"/>'s four (the order of vpackssdw).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<short> ToShorts(Vector256<float> first, Vector256<float> second, Vector256<short> zero) =>
        Avx2.AddSaturate(Avx2.PackSignedSaturate(Round(first), Round(second)), zero);

    /// <summary>Two vectors of int16 narrowed to bytes of T (byte or sbyte) with saturation, in vpackuswb/vpacksswb's order.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<byte> ToBytes<T>(Vector256<short> first, Vector256<short> second) where T : unmanaged =>
        typeof(T) == typeof(byte) ? Avx2.PackUnsignedSaturate(first, second) : Avx2.PackSignedSaturate(first, second).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<int> Round(Vector256<float> scaled) => Avx.ConvertToVector256Int32(Avx.Min(scaled, Vector256.Create(32767f)));
}
