using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using OnnxFuse.Engine.Simd;

namespace OnnxFuse.Engine.Kernels.Conv;

/// <summary>A float32 output plane: y = activation(sums).</summary>
unsafe readonly struct FloatPlaneSink<TActivation>(float* plane, TActivation activation) : IPlaneSink
    where TActivation : struct, IUnaryOp
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(Vector256<float> sums, nint index) => activation.Invoke(sums).Store(plane + index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void StorePair(Vector256<float> first, nint firstIndex, Vector256<float> second, nint secondIndex)
    {
        Store(first, firstIndex);
        Store(second, secondIndex);
    }

    public void StorePartial(Vector256<float> sums, nint index, int count)
    {
        // A plain loop: a 7×7 plane ends in a partial store per channel, where a copy helper's call cost shows.
        var values = activation.Invoke(sums);
        for (var i = 0; i < count; i++)
            plane[index + i] = ((float*)&values)[i];
    }
}
