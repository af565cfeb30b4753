using System.Runtime.Intrinsics;

namespace OnnxFuse.Engine.Simd;

/// <summary>
/// Relu: y = max(x, 0), with NaN mapped to 0 as ONNX Runtime's kernel does. The vector paths use the native max
/// (one maxps, which returns its second operand when either is NaN): <c>Vector256.Max</c> is IEEE's NaN-propagating
/// maximum and compiles to several instructions per vector.
/// </summary>
public readonly struct ReluOp : IUnaryOp
{
    public float Invoke(float x) => x > 0f ? x : 0f;
    public Vector128<float> Invoke(Vector128<float> x) => Vector128.MaxNative(x, Vector128<float>.Zero);
    public Vector256<float> Invoke(Vector256<float> x) => Vector256.MaxNative(x, Vector256<float>.Zero);
    public Vector512<float> Invoke(Vector512<float> x) => Vector512.MaxNative(x, Vector512<float>.Zero);
}
