using System.Runtime.Intrinsics;

namespace OnnxFuse.Engine.Simd;

/// <summary>
/// Clip: y = min(max(x, min), max); Relu6 is Clip(0, 6). NaN stays NaN. The vector paths use the native min and max
/// with the bound first: maxps/minps return their second operand when either is NaN, so x's NaN passes through, in
/// two instructions instead of the IEEE forms' several.
/// </summary>
public readonly struct ClipOp(float min, float max) : IUnaryOp
{
    public float Invoke(float x) => MathF.Min(MathF.Max(x, min), max);
    public Vector128<float> Invoke(Vector128<float> x) => Vector128.MinNative(Vector128.Create(max), Vector128.MaxNative(Vector128.Create(min), x));
    public Vector256<float> Invoke(Vector256<float> x) => Vector256.MinNative(Vector256.Create(max), Vector256.MaxNative(Vector256.Create(min), x));
    public Vector512<float> Invoke(Vector512<float> x) => Vector512.MinNative(Vector512.Create(max), Vector512.MaxNative(Vector512.Create(min), x));
}
