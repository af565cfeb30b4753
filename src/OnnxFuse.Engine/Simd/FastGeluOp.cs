using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace OnnxFuse.Engine.Simd;

/// <summary>
/// Gelu, tanh approximation (com.microsoft FastGelu): y = ½·x·(1 + tanh z), z = √(2/π)·(x + 0.044715·x³), computed
/// as the identical x / (1 + e^−2z) (since ½(1 + tanh z) = sigmoid 2z) with <see cref="ExpOp"/>: one exp and one
/// division, no small-|z| branch, and no cancellation in 1 + tanh z for negative x.
/// </summary>
public readonly struct FastGeluOp : IUnaryOp
{
    const float Linear = -2f * 0.7978845608028654f;
    const float Cubic = -2f * 0.7978845608028654f * 0.044715f;

    public float Invoke(float x) => x / (1f + default(ExpOp).Invoke(x * (Linear + Cubic * x * x)));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> x) =>
        x / (Vector128<float>.One + default(ExpOp).Invoke(x * Vector128.MultiplyAddEstimate(x * x, Vector128.Create(Cubic), Vector128.Create(Linear))));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x) =>
        x / (Vector256<float>.One + default(ExpOp).Invoke(x * Vector256.MultiplyAddEstimate(x * x, Vector256.Create(Cubic), Vector256.Create(Linear))));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x) =>
        x / (Vector512<float>.One + default(ExpOp).Invoke(x * Vector512.MultiplyAddEstimate(x * x, Vector512.Create(Cubic), Vector512.Create(Linear))));
}
