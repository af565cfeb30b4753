using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using OnnxFuse.Engine.Simd;

namespace OnnxFuse.Benchmarks;

/// <summary>The engine's exact Gelu before the rational erf: ½·x·(1 + erf(x/√2)) with <see cref="BaselineErfOp"/>.</summary>
readonly struct BaselineGeluOp : IUnaryOp
{
    const float InverseSqrt2 = 0.70710678118654752f;

    public float Invoke(float x) => 0.5f * x * (1f + default(BaselineErfOp).Invoke(x * InverseSqrt2));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> x) => x * 0.5f * (Vector128<float>.One + default(BaselineErfOp).Invoke(x * InverseSqrt2));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x) => x * 0.5f * (Vector256<float>.One + default(BaselineErfOp).Invoke(x * InverseSqrt2));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x) => x * 0.5f * (Vector512<float>.One + default(BaselineErfOp).Invoke(x * InverseSqrt2));
}

/// <summary>The engine's FastGelu before the sigmoid form: ½·x·(1 + tanh z) with <see cref="TanhOp"/>.</summary>
readonly struct BaselineFastGeluOp : IUnaryOp
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
