using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace OnnxFuse.Engine.Simd;

/// <summary>Softmax's numerator: y = e^(x + shift) (shift = −max of the row), with <see cref="ExpOp"/>.</summary>
public readonly struct ShiftedExpOp(float shift) : IUnaryOp
{
    public float Invoke(float x) => default(ExpOp).Invoke(x + shift);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> x) => default(ExpOp).Invoke(x + Vector128.Create(shift));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x) => default(ExpOp).Invoke(x + Vector256.Create(shift));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x) => default(ExpOp).Invoke(x + Vector512.Create(shift));
}
