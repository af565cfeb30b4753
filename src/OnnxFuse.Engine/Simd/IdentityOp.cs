using System.Runtime.Intrinsics;

namespace OnnxFuse.Engine.Simd;

/// <summary>y = x: lets a kernel that is generic over its fused activation run without one.</summary>
public readonly struct IdentityOp : IUnaryOp
{
    public float Invoke(float x) => x;
    public Vector128<float> Invoke(Vector128<float> x) => x;
    public Vector256<float> Invoke(Vector256<float> x) => x;
    public Vector512<float> Invoke(Vector512<float> x) => x;
}
