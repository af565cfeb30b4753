using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using OnnxFuse.Engine.Kernels.Conv;

namespace OnnxFuse.Engine.Kernels.Quantization;

/// <summary>
/// One output channel plane of uint8 or int8 (T) from exact integer sums held in floats, for channels whose bias is too large to
/// start the float sums (<see cref="QuantizedDepthwiseConvFloat.MaxFoldedBias"/>), through <see cref="RequantizeEpilogue{T}"/>'s
/// own eight-wide requantization, so the bytes are the same: y = saturate(round_half_even(float(sum + bias) · multiplier) + zeroPoint),
/// the bias added in int32 (sum + bias may pass 2^24, where only the int32 → float conversion may round, as there). AVX2.
/// </summary>
unsafe readonly struct Int32BiasRequantizedPlaneSink<T>(T* plane, float multiplier, int bias, int zeroPoint) : IPlaneSink
    where T : unmanaged
{
    readonly Vector256<int> _bias = Vector256.Create(bias);
    readonly Vector256<float> _scale = Vector256.Create(multiplier);
    readonly Vector256<float> _low = Vector256.Create((typeof(T) == typeof(byte) ? 0f : -128f) - zeroPoint);
    readonly Vector256<float> _high = Vector256.Create((typeof(T) == typeof(byte) ? 255f : 127f) - zeroPoint);
    readonly Vector256<int> _zero = Vector256.Create(zeroPoint);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(Vector256<float> sums, nint index) => *(long*)(plane + index) = Requantize(sums);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void StorePair(Vector256<float> first, nint firstIndex, Vector256<float> second, nint secondIndex)
    {
        Store(first, firstIndex);
        Store(second, secondIndex);
    }

    public void StorePartial(Vector256<float> sums, nint index, int count)
    {
        // A plain loop: a 7×7 plane ends in a partial store per channel, where a copy helper's call cost shows.
        var bytes = Requantize(sums);
        for (var i = 0; i < count; i++)
            plane[index + i] = ((T*)&bytes)[i];
    }

    /// <summary>The eight outputs as eight bytes. The sums are integers, so cvtps2dq only changes their type.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    long Requantize(Vector256<float> sums) =>
        RequantizeEpilogue<T>.RequantizeToBytes(Avx.ConvertToVector256Int32(sums), _bias, _scale, _low, _high, _zero);
}
