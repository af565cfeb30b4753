using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using OnnxFuse.Engine.Simd;

namespace OnnxFuse.Benchmarks;

/// <summary>
/// The engine's erf before the rational form (kept as the <c>activation</c> verb's baseline): erf(x) by Abramowitz–Stegun 7.1.26: for x ≥ 0, erf x = 1 − (a₁t + a₂t² + a₃t³ + a₄t⁴ + a₅t⁵)·e^−x², t = 1/(1 + p·x),
/// extended as an odd function; absolute error ≤ 1.5e-7 plus rounding. Below |x| = 0.35 that form cancels, so the
/// Maclaurin series 2/√π·(x − x³/3 + x⁵/10 − x⁷/42 + x⁹/216) is used (truncation &lt; 1e-8). Scalar and vector paths
/// use the same formulas.
/// </summary>
readonly struct BaselineErfOp : IUnaryOp
{
    const float P = 0.3275911f;
    const float A1 = 0.254829592f;
    const float A2 = -0.284496736f;
    const float A3 = 1.421413741f;
    const float A4 = -1.453152027f;
    const float A5 = 1.061405429f;
    const float SmallLimit = 0.35f;
    const float TwoOverSqrtPi = 1.1283791670955126f;
    const float S3 = -1f / 3f;
    const float S5 = 1f / 10f;
    const float S7 = -1f / 42f;
    const float S9 = 1f / 216f;

    public float Invoke(float x)
    {
        var magnitude = MathF.Abs(x);
        if (magnitude < SmallLimit)
        {
            var square = x * x;
            return TwoOverSqrtPi * (x + x * square * (S3 + square * (S5 + square * (S7 + square * S9))));
        }
        var t = 1f / (1f + P * magnitude);
        var poly = t * (A1 + t * (A2 + t * (A3 + t * (A4 + t * A5))));
        return MathF.CopySign(1f - poly * default(ExpOp).Invoke(-magnitude * magnitude), x);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> x)
    {
        var magnitude = Vector128.Abs(x);
        var t = Vector128<float>.One / (Vector128<float>.One + magnitude * P);
        var poly = t * (Vector128.Create(A1) + t * (Vector128.Create(A2) + t * (Vector128.Create(A3) + t * (Vector128.Create(A4) + t * A5))));
        var large = Vector128.CopySign(Vector128<float>.One - poly * default(ExpOp).Invoke(-(magnitude * magnitude)), x);
        var square = x * x;
        var small = (x + x * square * (Vector128.Create(S3) + square * (Vector128.Create(S5) + square * (Vector128.Create(S7) + square * S9)))) * TwoOverSqrtPi;
        return Vector128.ConditionalSelect(Vector128.LessThan(magnitude, Vector128.Create(SmallLimit)), small, large);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x)
    {
        var magnitude = Vector256.Abs(x);
        var t = Vector256<float>.One / (Vector256<float>.One + magnitude * P);
        var poly = t * (Vector256.Create(A1) + t * (Vector256.Create(A2) + t * (Vector256.Create(A3) + t * (Vector256.Create(A4) + t * A5))));
        var large = Vector256.CopySign(Vector256<float>.One - poly * default(ExpOp).Invoke(-(magnitude * magnitude)), x);
        var square = x * x;
        var small = (x + x * square * (Vector256.Create(S3) + square * (Vector256.Create(S5) + square * (Vector256.Create(S7) + square * S9)))) * TwoOverSqrtPi;
        return Vector256.ConditionalSelect(Vector256.LessThan(magnitude, Vector256.Create(SmallLimit)), small, large);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x)
    {
        var magnitude = Vector512.Abs(x);
        var t = Vector512<float>.One / (Vector512<float>.One + magnitude * P);
        var poly = t * (Vector512.Create(A1) + t * (Vector512.Create(A2) + t * (Vector512.Create(A3) + t * (Vector512.Create(A4) + t * A5))));
        var large = Vector512.CopySign(Vector512<float>.One - poly * default(ExpOp).Invoke(-(magnitude * magnitude)), x);
        var square = x * x;
        var small = (x + x * square * (Vector512.Create(S3) + square * (Vector512.Create(S5) + square * (Vector512.Create(S7) + square * S9)))) * TwoOverSqrtPi;
        return Vector512.ConditionalSelect(Vector512.LessThan(magnitude, Vector512.Create(SmallLimit)), small, large);
    }
}
