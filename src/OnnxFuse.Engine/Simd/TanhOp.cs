using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace OnnxFuse.Engine.Simd;

/// <summary>
/// Tanh. Vector paths: tanh|x| = (1 − t) / (1 + t) with t = e^−2|x|, sign restored; below |x| = 0.3 that
/// formula cancels, so a 9th-order Taylor polynomial is used there. Agrees with <see cref="MathF.Tanh"/>
/// to about 4e-7 relative.
/// </summary>
public readonly struct TanhOp : IUnaryOp
{
    const float SmallLimit = 0.3f;
    const float C3 = -1f / 3f;
    const float C5 = 2f / 15f;
    const float C7 = -17f / 315f;
    const float C9 = 62f / 2835f;

    public float Invoke(float x) => MathF.Tanh(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<float> Invoke(Vector128<float> x)
    {
        var magnitude = Vector128.Abs(x);
        var t = default(ExpOp).Invoke(magnitude * -2f);
        var large = (Vector128<float>.One - t) / (Vector128<float>.One + t);
        var square = x * x;
        var small = magnitude + magnitude * square * (Vector128.Create(C3) + square * (Vector128.Create(C5) + square * (Vector128.Create(C7) + square * C9)));
        var result = Vector128.ConditionalSelect(Vector128.LessThan(magnitude, Vector128.Create(SmallLimit)), small, large);
        return Vector128.CopySign(result, x);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<float> Invoke(Vector256<float> x)
    {
        var magnitude = Vector256.Abs(x);
        var t = default(ExpOp).Invoke(magnitude * -2f);
        var large = (Vector256<float>.One - t) / (Vector256<float>.One + t);
        var square = x * x;
        var small = magnitude + magnitude * square * (Vector256.Create(C3) + square * (Vector256.Create(C5) + square * (Vector256.Create(C7) + square * C9)));
        var result = Vector256.ConditionalSelect(Vector256.LessThan(magnitude, Vector256.Create(SmallLimit)), small, large);
        return Vector256.CopySign(result, x);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<float> Invoke(Vector512<float> x)
    {
        var magnitude = Vector512.Abs(x);
        var t = default(ExpOp).Invoke(magnitude * -2f);
        var large = (Vector512<float>.One - t) / (Vector512<float>.One + t);
        var square = x * x;
        var small = magnitude + magnitude * square * (Vector512.Create(C3) + square * (Vector512.Create(C5) + square * (Vector512.Create(C7) + square * C9)));
        var result = Vector512.ConditionalSelect(Vector512.LessThan(magnitude, Vector512.Create(SmallLimit)), small, large);
        return Vector512.CopySign(result, x);
    }
}
