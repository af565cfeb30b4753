using System.Runtime.Intrinsics;

namespace OnnxFuse.Engine.Simd;

/// <summary>HardSigmoid: y = clamp(alpha · x + beta, 0, 1).</summary>
public readonly struct HardSigmoidOp(float alpha, float beta) : IUnaryOp
{
    public float Invoke(float x) => MathF.Min(MathF.Max(alpha * x + beta, 0f), 1f);
    public Vector128<float> Invoke(Vector128<float> x) =>
        Vector128.Min(Vector128.Max(Vector128.FusedMultiplyAdd(x, Vector128.Create(alpha), Vector128.Create(beta)), Vector128<float>.Zero), Vector128<float>.One);
    public Vector256<float> Invoke(Vector256<float> x) =>
        Vector256.Min(Vector256.Max(Vector256.FusedMultiplyAdd(x, Vector256.Create(alpha), Vector256.Create(beta)), Vector256<float>.Zero), Vector256<float>.One);
    public Vector512<float> Invoke(Vector512<float> x) =>
        Vector512.Min(Vector512.Max(Vector512.FusedMultiplyAdd(x, Vector512.Create(alpha), Vector512.Create(beta)), Vector512<float>.Zero), Vector512<float>.One);
}
