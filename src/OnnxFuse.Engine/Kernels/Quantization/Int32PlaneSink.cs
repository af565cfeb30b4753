using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using OnnxFuse.Engine.Kernels.Conv;

namespace OnnxFuse.Engine.Kernels.Quantization;

/// <summary>One output channel plane of int32 accumulators (ConvInteger) from exact integer sums held in floats. AVX.</summary>
unsafe readonly struct Int32PlaneSink(int* plane) : IPlaneSink
{
    // The sums are integers, so cvtps2dq only changes their type.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Store(Vector256<float> sums, nint index) => Avx.ConvertToVector256Int32(sums).Store(plane + index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void StorePair(Vector256<float> first, nint firstIndex, Vector256<float> second, nint secondIndex)
    {
        Store(first, firstIndex);
        Store(second, secondIndex);
    }

    public void StorePartial(Vector256<float> sums, nint index, int count)
    {
        var values = Avx.ConvertToVector256Int32(sums);
        for (var i = 0; i < count; i++)
            plane[index + i] = ((int*)&values)[i];
    }
}
