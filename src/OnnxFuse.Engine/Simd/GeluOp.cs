using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace OnnxFuse.Engine.Simd;

/// <summary>Gelu (exact form): y = ½·x·(1 + erf(x/√2)), with <see cref="ErfOp"/>'s erf.</summary>
public readonly struct GeluOp : IUnaryOp
{
    const float InverseSqrt2 = 0.70710678118654752f;

    public float Invoke(float x) => 0.5f * x * (1f + default(ErfOp).Invoke(x * InverseSqrt2));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> x) => x * 0.5f * (Vector128<float>.One + default(ErfOp).Invoke(x * InverseSqrt2));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x) => x * 0.5f * (Vector256<float>.One + default(ErfOp).Invoke(x * InverseSqrt2));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x) => x * 0.5f * (Vector512<float>.One + default(ErfOp).Invoke(x * InverseSqrt2));
}
