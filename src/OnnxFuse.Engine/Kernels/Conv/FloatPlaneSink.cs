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

    public void StorePartial(Vector256<float> sums, nint index, int count)
    {
        var values = activation.Invoke(sums);
        new ReadOnlySpan<float>(&values, count).CopyTo(new Span<float>(plane + index, count));
    }
}
