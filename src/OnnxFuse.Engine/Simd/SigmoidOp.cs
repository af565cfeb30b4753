using System.Runtime.Intrinsics;

namespace OnnxFuse.Engine.Simd;

/// <summary>Sigmoid: y = 1 / (1 + e^−x). Vector paths agree with the scalar path to about 2 ulp.</summary>
public readonly struct SigmoidOp : IUnaryOp
{
    public float Invoke(float x) => 1f / (1f + MathF.Exp(-x));
    public Vector128<float> Invoke(Vector128<float> x) => Vector128<float>.One / (Vector128<float>.One + Vector128.Exp(-x));
    public Vector256<float> Invoke(Vector256<float> x) => Vector256<float>.One / (Vector256<float>.One + Vector256.Exp(-x));
    public Vector512<float> Invoke(Vector512<float> x) => Vector512<float>.One / (Vector512<float>.One + Vector512.Exp(-x));
}
