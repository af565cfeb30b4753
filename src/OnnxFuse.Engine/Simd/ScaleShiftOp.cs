using System.Runtime.Intrinsics;

namespace OnnxFuse.Engine.Simd;

/// <summary>Per-channel affine map (inference BatchNormalization): y = scale · x + shift.</summary>
public readonly struct ScaleShiftOp(float scale, float shift) : IUnaryOp
{
    public float Invoke(float x) => MathF.FusedMultiplyAdd(x, scale, shift);
    public Vector128<float> Invoke(Vector128<float> x) => Vector128.FusedMultiplyAdd(x, Vector128.Create(scale), Vector128.Create(shift));
    public Vector256<float> Invoke(Vector256<float> x) => Vector256.FusedMultiplyAdd(x, Vector256.Create(scale), Vector256.Create(shift));
    public Vector512<float> Invoke(Vector512<float> x) => Vector512.FusedMultiplyAdd(x, Vector512.Create(scale), Vector512.Create(shift));
}
