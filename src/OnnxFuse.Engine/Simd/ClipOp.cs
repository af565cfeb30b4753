using System.Runtime.Intrinsics;

namespace OnnxFuse.Engine.Simd;

/// <summary>Clip: y = min(max(x, min), max). Relu6 is Clip(0, 6).</summary>
public readonly struct ClipOp(float min, float max) : IUnaryOp
{
    public float Invoke(float x) => MathF.Min(MathF.Max(x, min), max);
    public Vector128<float> Invoke(Vector128<float> x) => Vector128.Min(Vector128.Max(x, Vector128.Create(min)), Vector128.Create(max));
    public Vector256<float> Invoke(Vector256<float> x) => Vector256.Min(Vector256.Max(x, Vector256.Create(min)), Vector256.Create(max));
    public Vector512<float> Invoke(Vector512<float> x) => Vector512.Min(Vector512.Max(x, Vector512.Create(min)), Vector512.Create(max));
}
