using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace OnnxFuse.Engine.Simd;

/// <summary>Sigmoid: y = 1 / (1 + e^−x), with <see cref="ExpOp"/>.</summary>
public readonly struct SigmoidOp : IUnaryOp
{
    public float Invoke(float x) => 1f / (1f + default(ExpOp).Invoke(-x));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> x) => Vector128<float>.One / (Vector128<float>.One + default(ExpOp).Invoke(-x));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x) => Vector256<float>.One / (Vector256<float>.One + default(ExpOp).Invoke(-x));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x) => Vector512<float>.One / (Vector512<float>.One + default(ExpOp).Invoke(-x));
}
