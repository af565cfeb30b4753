using System.Runtime.Intrinsics;

namespace OnnxFuse.Engine.Simd;

/// <summary>HardSigmoid: y = clamp(alpha · x + beta, 0, 1), NaN kept, clamped as <see cref="ClipOp"/> clamps.</summary>
public readonly struct HardSigmoidOp(float alpha, float beta) : IUnaryOp
{
    public float Invoke(float x) => MathF.Min(MathF.Max(alpha * x + beta, 0f), 1f);
    public Vector128<float> Invoke(Vector128<float> x) =>
        new ClipOp(0f, 1f).Invoke(Vector128.FusedMultiplyAdd(x, Vector128.Create(alpha), Vector128.Create(beta)));
    public Vector256<float> Invoke(Vector256<float> x) =>
        new ClipOp(0f, 1f).Invoke(Vector256.FusedMultiplyAdd(x, Vector256.Create(alpha), Vector256.Create(beta)));
    public Vector512<float> Invoke(Vector512<float> x) =>
        new ClipOp(0f, 1f).Invoke(Vector512.FusedMultiplyAdd(x, Vector512.Create(alpha), Vector512.Create(beta)));
}
