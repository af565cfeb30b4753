using System.Runtime.Intrinsics;

namespace OnnxFuse.Engine.Simd;

/// <summary>LeakyRelu: y = x if x ≥ 0, else slope · x.</summary>
public readonly struct LeakyReluOp(float slope) : IUnaryOp
{
    public float Invoke(float x) => x >= 0f ? x : slope * x;
    public Vector128<float> Invoke(Vector128<float> x) =>
        Vector128.ConditionalSelect(Vector128.GreaterThanOrEqual(x, Vector128<float>.Zero), x, x * slope);
    public Vector256<float> Invoke(Vector256<float> x) =>
        Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(x, Vector256<float>.Zero), x, x * slope);
    public Vector512<float> Invoke(Vector512<float> x) =>
        Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(x, Vector512<float>.Zero), x, x * slope);
}
