using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace OnnxFuse.Engine.Kernels.Quantization;

/// <summary>
/// Per-tensor uint8/int8 ⇄ float32 conversions, the QDQ model's residual Q/DQ pairs: y = (q − zp) · s and
/// q = saturate(round_half_even(x / s) + zp) (NaN → 0, as the generic kernels' saturating conversion gives). The AVX2 variants
/// do the same float32 operations (a division, not a reciprocal multiply), so they match the scalar references bit for bit.
/// </summary>
static unsafe class PerTensorQuantization
{
    public static bool UsesVector256 => Int8Gemm.UsesVector256;

    public static void Dequantize(ReadOnlySpan<byte> source, bool signed, int zeroPoint, float scale, Span<float> destination, bool vector)
    {
        var i = 0;
        if (vector && Avx2.IsSupported)
        {
            var zero = Vector256.Create((float)zeroPoint);
            var factor = Vector256.Create(scale);
            fixed (byte* x = source)
            fixed (float* y = destination)
            {
                for (; i + 8 <= source.Length; i += 8)
                {
                    var integers = signed ? Avx2.ConvertToVector256Int32((sbyte*)x + i) : Avx2.ConvertToVector256Int32(x + i);
                    Avx.Store(y + i, Avx.Multiply(Avx.Subtract(Avx.ConvertToVector256Single(integers), zero), factor));
                }
            }
        }
        for (; i < source.Length; i++)
            destination[i] = ((signed ? (sbyte)source[i] : source[i]) - (float)zeroPoint) * scale;
    }

    public static void Quantize(ReadOnlySpan<float> source, float scale, int zeroPoint, bool signed, Span<byte> destination, bool vector)
    {
        var (min, max) = signed ? (-128f, 127f) : (0f, 255f);
        var i = 0;
        if (vector && Avx2.IsSupported)
        {
            var divisor = Vector256.Create(scale);
            var zero = Vector256.Create((float)zeroPoint);
            var low = Vector256.Create(min);
            var high = Vector256.Create(max);
            fixed (float* x = source)
            fixed (byte* y = destination)
            {
                for (; i + 8 <= source.Length; i += 8)
                {
                    var value = Avx.Add(Avx.RoundToNearestInteger(Avx.Divide(Avx.LoadVector256(x + i), divisor)), zero);
                    // NaN lanes become 0 before the clamp; the bounds are integers, so the conversion is exact.
                    value = Avx.And(value, Avx.CompareOrdered(value, value));
                    var integers = Avx.ConvertToVector256Int32(Avx.Min(Avx.Max(value, low), high));
                    var shorts = Avx2.PackSignedSaturate(integers, integers);
                    var lanes = Avx2.Permute4x64(shorts.AsInt64(), 0b11_01_10_00).AsInt16().GetLower();
                    var bytes = signed ? Sse2.PackSignedSaturate(lanes, lanes).AsInt64() : Sse2.PackUnsignedSaturate(lanes, lanes).AsInt64();
                    *(long*)(y + i) = bytes.ToScalar();
                }
            }
        }
        for (; i < source.Length; i++)
            destination[i] = QuantizeScalar(source[i], scale, zeroPoint, min, max);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static byte QuantizeScalar(float value, float scale, int zeroPoint, float min, float max)
    {
        var rounded = MathF.Round(value / scale, MidpointRounding.ToEven) + zeroPoint;
        return float.IsNaN(rounded) ? (byte)0 : unchecked((byte)(int)Math.Clamp(rounded, min, max));
    }
}
