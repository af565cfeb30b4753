using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace OnnxFuse.Engine.Kernels.Conv;

/// <summary>A float32 input plane as it is.</summary>
unsafe readonly struct FloatPlaneSource(float* plane) : IPlaneSource
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Load(nint index) => Vector256.Load(plane + index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float LoadScalar(nint index) => plane[index];
}
