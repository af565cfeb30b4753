using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace OnnxFuse.Engine.Simd;

/// <summary>
/// erf(x) as one rational function, without exp and with one division: x is clamped to ±3.92 (erfc 3.92 = 3e-8, so
/// float erf is ±1 from there on) and erf x = x·P(x²)/Q(x²), with P and Q of degree 5. The coefficients are a
/// relative-minimax fit of erf(√t)/√t on t ∈ [0, 3.92²] (Lawson-weighted least squares, 30 digits, then rounded to
/// float): relative error 5e-8 before the evaluation rounds. All coefficients are positive, so nothing cancels. Each
/// polynomial is evaluated as low(t) + t³·high(t) with quadratic halves rather than by Horner's rule: near |x| = 3.8
/// the t³ terms dominate both P and Q, so the rounding of t³ cancels in the quotient instead of five Horner roundings
/// adding up (largest error over every float in [0.25, 4]: 3.1e-7, 5 ulp, against 3.5e-7 with Horner and 3.7e-7,
/// 12 ulp, for the earlier Abramowitz–Stegun 7.1.26 form with exp). The result is clamped to ±1 so that 1 + erf, which
/// Gelu takes, never turns negative. x·P/Q keeps the sign of zero and passes NaN through. Scalar and vector paths
/// evaluate the same operations with fused multiply-adds.
/// </summary>
public readonly struct ErfOp : IUnaryOp
{
    const float Limit = 3.92f;
    const float P0 = 1.1283791065216064f;
    const float P1 = 0.19039075076580048f;
    const float P2 = 0.05274633690714836f;
    const float P3 = 0.003764864755794406f;
    const float P4 = 0.00028485251823440194f;
    const float P5 = 2.050029252131935e-06f;
    const float Q1 = 0.5020621418952942f;
    const float Q2 = 0.11410234123468399f;
    const float Q3 = 0.014967713505029678f;
    const float Q4 = 0.0011623287573456764f;
    const float Q5 = 3.808954352280125e-05f;

    public float Invoke(float x)
    {
        // Math.Clamp passes NaN through, as the vector paths' operand order does.
        x = Math.Clamp(x, -Limit, Limit);
        var t = x * x;
        var cube = t * t * t;
        var p = MathF.FusedMultiplyAdd(Quadratic(P5, P4, P3, t), cube, Quadratic(P2, P1, P0, t));
        var q = MathF.FusedMultiplyAdd(Quadratic(Q5, Q4, Q3, t), cube, Quadratic(Q2, Q1, 1f, t));
        return Math.Clamp(x * p / q, -1f, 1f);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> x)
    {
        // minps/maxps return their second operand when either is NaN, so x and the result go second and NaN stays NaN.
        x = Vector128.MaxNative(Vector128.Create(-Limit), Vector128.MinNative(Vector128.Create(Limit), x));
        var t = x * x;
        var cube = t * t * t;
        var p = Vector128.MultiplyAddEstimate(Quadratic(P5, P4, P3, t), cube, Quadratic(P2, P1, P0, t));
        var q = Vector128.MultiplyAddEstimate(Quadratic(Q5, Q4, Q3, t), cube, Quadratic(Q2, Q1, 1f, t));
        return Vector128.MaxNative(-Vector128<float>.One, Vector128.MinNative(Vector128<float>.One, x * p / q));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x)
    {
        x = Vector256.MaxNative(Vector256.Create(-Limit), Vector256.MinNative(Vector256.Create(Limit), x));
        var t = x * x;
        var cube = t * t * t;
        var p = Vector256.MultiplyAddEstimate(Quadratic(P5, P4, P3, t), cube, Quadratic(P2, P1, P0, t));
        var q = Vector256.MultiplyAddEstimate(Quadratic(Q5, Q4, Q3, t), cube, Quadratic(Q2, Q1, 1f, t));
        return Vector256.MaxNative(-Vector256<float>.One, Vector256.MinNative(Vector256<float>.One, x * p / q));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x)
    {
        x = Vector512.MaxNative(Vector512.Create(-Limit), Vector512.MinNative(Vector512.Create(Limit), x));
        var t = x * x;
        var cube = t * t * t;
        var p = Vector512.MultiplyAddEstimate(Quadratic(P5, P4, P3, t), cube, Quadratic(P2, P1, P0, t));
        var q = Vector512.MultiplyAddEstimate(Quadratic(Q5, Q4, Q3, t), cube, Quadratic(Q2, Q1, 1f, t));
        return Vector512.MaxNative(-Vector512<float>.One, Vector512.MinNative(Vector512<float>.One, x * p / q));
    }

    static float Quadratic(float c2, float c1, float c0, float t) => MathF.FusedMultiplyAdd(MathF.FusedMultiplyAdd(c2, t, c1), t, c0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector128<float> Quadratic(float c2, float c1, float c0, Vector128<float> t) =>
        Vector128.MultiplyAddEstimate(Vector128.MultiplyAddEstimate(Vector128.Create(c2), t, Vector128.Create(c1)), t, Vector128.Create(c0));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<float> Quadratic(float c2, float c1, float c0, Vector256<float> t) =>
        Vector256.MultiplyAddEstimate(Vector256.MultiplyAddEstimate(Vector256.Create(c2), t, Vector256.Create(c1)), t, Vector256.Create(c0));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector512<float> Quadratic(float c2, float c1, float c0, Vector512<float> t) =>
        Vector512.MultiplyAddEstimate(Vector512.MultiplyAddEstimate(Vector512.Create(c2), t, Vector512.Create(c1)), t, Vector512.Create(c0));
}
