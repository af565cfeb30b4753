using System.Runtime.Intrinsics;

namespace OnnxFuse.Engine.Simd;

/// <summary>Relu: y = max(x, 0).</summary>
public readonly struct ReluOp : IUnaryOp
{
    public float Invoke(float x) => x > 0f ? x : 0f;
    public Vector128<float> Invoke(Vector128<float> x) => Vector128.Max(x, Vector128<float>.Zero);
    public Vector256<float> Invoke(Vector256<float> x) => Vector256.Max(x, Vector256<float>.Zero);
    public Vector512<float> Invoke(Vector512<float> x) => Vector512.Max(x, Vector512<float>.Zero);
}
