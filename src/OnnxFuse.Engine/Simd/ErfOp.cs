using System.Runtime.Intrinsics;

namespace OnnxFuse.Engine.Simd;

/// <summary>
/// erf(x) by Abramowitz–Stegun 7.1.26: for x ≥ 0, erf x = 1 − (a₁t + a₂t² + a₃t³ + a₄t⁴ + a₅t⁵)·e^−x², t = 1/(1 + p·x),
/// extended as an odd function. Absolute error ≤ 1.5e-7 (plus float rounding); scalar and vector paths use the
/// same formula.
/// </summary>
public readonly struct ErfOp : IUnaryOp
{
    const float P = 0.3275911f;
    const float A1 = 0.254829592f;
    const float A2 = -0.284496736f;
    const float A3 = 1.421413741f;
    const float A4 = -1.453152027f;
    const float A5 = 1.061405429f;

    public float Invoke(float x)
    {
        var magnitude = MathF.Abs(x);
        var t = 1f / (1f + P * magnitude);
        var poly = t * (A1 + t * (A2 + t * (A3 + t * (A4 + t * A5))));
        return MathF.CopySign(1f - poly * MathF.Exp(-magnitude * magnitude), x);
    }

    public Vector128<float> Invoke(Vector128<float> x)
    {
        var magnitude = Vector128.Abs(x);
        var t = Vector128<float>.One / (Vector128<float>.One + magnitude * P);
        var poly = t * (Vector128.Create(A1) + t * (Vector128.Create(A2) + t * (Vector128.Create(A3) + t * (Vector128.Create(A4) + t * A5))));
        return Vector128.CopySign(Vector128<float>.One - poly * Vector128.Exp(-(magnitude * magnitude)), x);
    }

    public Vector256<float> Invoke(Vector256<float> x)
    {
        var magnitude = Vector256.Abs(x);
        var t = Vector256<float>.One / (Vector256<float>.One + magnitude * P);
        var poly = t * (Vector256.Create(A1) + t * (Vector256.Create(A2) + t * (Vector256.Create(A3) + t * (Vector256.Create(A4) + t * A5))));
        return Vector256.CopySign(Vector256<float>.One - poly * Vector256.Exp(-(magnitude * magnitude)), x);
    }

    public Vector512<float> Invoke(Vector512<float> x)
    {
        var magnitude = Vector512.Abs(x);
        var t = Vector512<float>.One / (Vector512<float>.One + magnitude * P);
        var poly = t * (Vector512.Create(A1) + t * (Vector512.Create(A2) + t * (Vector512.Create(A3) + t * (Vector512.Create(A4) + t * A5))));
        return Vector512.CopySign(Vector512<float>.One - poly * Vector512.Exp(-(magnitude * magnitude)), x);
    }
}
