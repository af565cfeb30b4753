using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using OnnxFuse.Engine.Kernels.Conv;

namespace OnnxFuse.Engine.Kernels.Quantization;

/// <summary>
/// One output channel plane of uint8 or int8 (T) from exact integer sums held in floats that already hold the bias (the kernel
/// starts each sum at it, see <see cref="QuantizedDepthwiseConvFloat.MaxFoldedBias"/>): y = saturate(round_half_even(float(sum + bias)
/// · multiplier) + zeroPoint), sixteen outputs per narrowing chain. AVX2.
/// </summary>
/// <remarks>The chain is <see cref="RequantizeEpilogue{T}"/>'s row-pair one, <see cref="RequantizeNarrowing"/>.</remarks>
unsafe readonly struct RequantizedPlaneSink<T>(T* plane, float multiplier, int zeroPoint) : IPlaneSink
    where T : unmanaged
{
    readonly Vector256<float> _scale = Vector256.Create(multiplier);
    readonly Vector256<short> _zero = Vector256.Create((short)zeroPoint);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(Vector256<float> sums, nint index) => Sse2.StoreScalar((long*)(plane + index), Requantize(sums, sums).AsInt64());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void StorePair(Vector256<float> first, nint firstIndex, Vector256<float> second, nint secondIndex)
    {
        var bytes = Requantize(first, second);
        Sse2.StoreScalar((long*)(plane + firstIndex), bytes.AsInt64());
        Sse2.StoreHigh((double*)(plane + secondIndex), bytes.AsDouble());
    }

    public void StorePartial(Vector256<float> sums, nint index, int count)
    {
        // A plain loop: a 7×7 plane ends in a partial store per channel, where a copy helper's call cost shows.
        var bytes = Requantize(sums, sums);
        for (var i = 0; i < count; i++)
            plane[index + i] = ((T*)&bytes)[i];
    }

    /// <summary>The first vector's eight outputs in the low eight bytes, the second's in the high eight.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    Vector128<byte> Requantize(Vector256<float> first, Vector256<float> second)
    {
        var shorts = RequantizeNarrowing.ToShorts(first * _scale, second * _scale, _zero);
        var bytes = RequantizeNarrowing.ToBytes<T>(shorts, shorts).AsInt32();
        // Per 128-bit lane the packs leave first[0–3] second[0–3] (then first[4–7] second[4–7] in the high lane), twice; vpermd
        // gathers first[0–7] then second[0–7] into the low lane.
        return Avx2.PermuteVar8x32(bytes, Vector256.Create(0, 4, 1, 5, 0, 4, 1, 5)).AsByte().GetLower();
    }
}
