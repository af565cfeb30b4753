using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using OnnxFuse.Engine.Kernels.Conv;

namespace OnnxFuse.Engine.Kernels.Quantization;

/// <summary>A uint8 or int8 (T) input plane read as x − zeroPoint in float32: integers of magnitude ≤ 255, so exact. AVX2.</summary>
unsafe readonly struct QuantizedPlaneSource<T>(T* plane, int zeroPoint) : IPlaneSource
    where T : unmanaged
{
    readonly Vector256<int> _zero = Vector256.Create(zeroPoint);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Load(nint index)
    {
        var widened = typeof(T) == typeof(sbyte)
            ? Avx2.ConvertToVector256Int32((sbyte*)plane + index)
            : Avx2.ConvertToVector256Int32((byte*)plane + index);
        return Avx.ConvertToVector256Single(widened - _zero);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float LoadScalar(nint index) => (typeof(T) == typeof(sbyte) ? ((sbyte*)plane)[index] : ((byte*)plane)[index]) - zeroPoint;
}
