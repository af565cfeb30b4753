using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace OnnxFuse.Engine.Kernels.Quantization;

/// <summary>
/// The arithmetic of com.microsoft QLinearAdd on uint8/int8 runs, as ONNX Runtime's MLAS computes it (so the results agree bit for
/// bit): with r_a = s_a / s_c, r_b = s_b / s_c and offset = zp_c − (r_a · zp_a + r_b · zp_b),
/// c = saturate(round_half_even(fma(a, r_a, fma(b, r_b, offset)))). An operand fixed for a whole run (a broadcast scalar) is folded
/// into the offset first, offset' = offset + r · x, as MLAS does. The scalar reference and the AVX2 variant do the same float32
/// operations (fused multiply-adds, the clamp before the conversion), so they match bit for bit.
/// </summary>
/// <param name="LeftRatio">r_a.</param>
/// <param name="RightRatio">r_b.</param>
/// <param name="Offset">zp_c − (r_a · zp_a + r_b · zp_b).</param>
/// <param name="Signed">True for int8, false for uint8 (all three tensors share the type).</param>
readonly record struct QuantizedAddition(float LeftRatio, float RightRatio, float Offset, bool Signed)
{
    public static bool UsesVector256 => Int8Gemm.UsesVector256 && Fma.IsSupported;

    public static QuantizedAddition Create(float leftScale, int leftZero, float rightScale, int rightZero, float outputScale, int outputZero, bool signed)
    {
        var leftRatio = leftScale / outputScale;
        var rightRatio = rightScale / outputScale;
        return new(leftRatio, rightRatio, outputZero - ((leftRatio * leftZero) + (rightRatio * rightZero)), signed);
    }

    /// <summary>The offset with the right operand fixed at <paramref name="right"/> (its raw uint8/int8 value).</summary>
    public float OffsetWithRight(int right) => Offset + (RightRatio * right);

    /// <summary>The offset with the left operand fixed at <paramref name="left"/> (its raw uint8/int8 value).</summary>
    public float OffsetWithLeft(int left) => Offset + (LeftRatio * left);

    /// <summary>
    /// destination[i] = saturate(round(fma(varying[i], ratio, fma(other[i], otherRatio, offset)))), or without the inner product when
    /// <paramref name="other"/> is empty (the other operand folded into <paramref name="offset"/>). Spans hold raw bytes of the type.
    /// </summary>
    public unsafe void Run(ReadOnlySpan<byte> varying, float ratio, ReadOnlySpan<byte> other, float otherRatio, float offset, Span<byte> destination,
        bool vector)
    {
        var (min, max) = Signed ? (-128f, 127f) : (0f, 255f);
        var hasOther = !other.IsEmpty;
        var i = 0;
        if (vector && UsesVector256)
        {
            var ratios = Vector256.Create(ratio);
            var otherRatios = Vector256.Create(otherRatio);
            var offsets = Vector256.Create(offset);
            var low = Vector256.Create(min);
            var high = Vector256.Create(max);
            fixed (byte* x = varying, y = other, z = destination)
            {
                for (; i + 16 <= destination.Length; i += 16)
                {
                    var first = hasOther ? Fma.MultiplyAdd(Widen(y + i), otherRatios, offsets) : offsets;
                    var second = hasOther ? Fma.MultiplyAdd(Widen(y + i + 8), otherRatios, offsets) : offsets;
                    first = Fma.MultiplyAdd(Widen(x + i), ratios, first);
                    second = Fma.MultiplyAdd(Widen(x + i + 8), ratios, second);
                    // Clamped first (NaN lanes to the minimum, as MLAS's conversion and saturation give), so the packs are exact.
                    var firstIntegers = Avx.ConvertToVector256Int32(Avx.Min(Avx.Max(first, low), high));
                    var secondIntegers = Avx.ConvertToVector256Int32(Avx.Min(Avx.Max(second, low), high));
                    var shorts = Avx2.Permute4x64(Avx2.PackSignedSaturate(firstIntegers, secondIntegers).AsInt64(), 0b11_01_10_00).AsInt16();
                    var bytes = Signed
                        ? Sse2.PackSignedSaturate(shorts.GetLower(), shorts.GetUpper()).AsByte()
                        : Sse2.PackUnsignedSaturate(shorts.GetLower(), shorts.GetUpper());
                    Sse2.Store(z + i, bytes);
                }
            }
        }
        for (; i < destination.Length; i++)
        {
            var sum = hasOther ? MathF.FusedMultiplyAdd(Value(other[i]), otherRatio, offset) : offset;
            destination[i] = Saturate(MathF.FusedMultiplyAdd(Value(varying[i]), ratio, sum), min, max);
        }
    }

    /// <summary>The integer value of a raw uint8/int8 byte.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Value(byte raw) => Signed ? (sbyte)raw : raw;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    unsafe Vector256<float> Widen(byte* source) =>
        Avx.ConvertToVector256Single(Signed ? Avx2.ConvertToVector256Int32((sbyte*)source) : Avx2.ConvertToVector256Int32(source));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static byte Saturate(float value, float min, float max) =>
        float.IsNaN(value) ? unchecked((byte)(int)min) : unchecked((byte)(int)MathF.Round(Math.Clamp(value, min, max), MidpointRounding.ToEven));
}
