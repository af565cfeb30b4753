using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace OnnxFuse.Engine.Simd;

/// <summary>com.microsoft QuickGelu: y = x · sigmoid(α·x) (α = 1.702 by default), with <see cref="ExpOp"/>.</summary>
public readonly struct QuickGeluOp(float alpha) : IUnaryOp
{
    public float Invoke(float x) => x / (1f + default(ExpOp).Invoke(-alpha * x));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> x) => x / (Vector128<float>.One + default(ExpOp).Invoke(x * -alpha));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x) => x / (Vector256<float>.One + default(ExpOp).Invoke(x * -alpha));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x) => x / (Vector512<float>.One + default(ExpOp).Invoke(x * -alpha));
}
