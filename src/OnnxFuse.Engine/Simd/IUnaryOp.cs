using System.Runtime.Intrinsics;

namespace OnnxFuse.Engine.Simd;

/// <summary>
/// An element-wise operator y = f(x) with one scalar and one path per vector width. Implementations are
/// <c>readonly struct</c>s so that generic drivers specialise and inline them; instance methods let an operator
/// carry parameters (Clip's bounds, LeakyRelu's slope). The vector paths must agree with the scalar path
/// within the operator's documented tolerance.
/// </summary>
public interface IUnaryOp
{
    float Invoke(float x);

    Vector128<float> Invoke(Vector128<float> x);

    Vector256<float> Invoke(Vector256<float> x);

    Vector512<float> Invoke(Vector512<float> x);
}
