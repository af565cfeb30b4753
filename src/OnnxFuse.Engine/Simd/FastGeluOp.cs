using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace OnnxFuse.Engine.Simd;

/// <summary>
/// Gelu, tanh approximation (com.microsoft FastGelu): y = ½·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), with
/// <see cref="TanhOp"/>'s tanh.
/// </summary>
public readonly struct FastGeluOp : IUnaryOp
{
    const float Linear = 0.7978845608028654f;
    const float Cubic = 0.7978845608028654f * 0.044715f;

    public float Invoke(float x) => 0.5f * x * (1f + default(TanhOp).Invoke(x * (Linear + Cubic * x * x)));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> x) =>
        x * 0.5f * (Vector128<float>.One + default(TanhOp).Invoke(x * (Vector128.Create(Linear) + x * x * Cubic)));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x) =>
        x * 0.5f * (Vector256<float>.One + default(TanhOp).Invoke(x * (Vector256.Create(Linear) + x * x * Cubic)));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x) =>
        x * 0.5f * (Vector512<float>.One + default(TanhOp).Invoke(x * (Vector512.Create(Linear) + x * x * Cubic)));
}
