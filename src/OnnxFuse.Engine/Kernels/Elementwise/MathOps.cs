using System.Numerics;
using System.Numerics.Tensors;

namespace OnnxFuse.Engine.Kernels.Elementwise;

/// <summary>y = eˣ.</summary>
readonly struct ExpOp : IUnaryOp
{
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Exp(x, y);
}

/// <summary>y = ln x.</summary>
readonly struct LogOp : IUnaryOp
{
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Log(x, y);
}

/// <summary>y = √x.</summary>
readonly struct SqrtOp : IUnaryOp
{
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Sqrt(x, y);
}

/// <summary>y = 1 / x.</summary>
readonly struct ReciprocalOp : IUnaryOp
{
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Reciprocal(x, y);
}

/// <summary>y = ⌊x⌋.</summary>
readonly struct FloorOp : IUnaryOp
{
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Floor(x, y);
}

/// <summary>y = ⌈x⌉.</summary>
readonly struct CeilOp : IUnaryOp
{
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Ceiling(x, y);
}

/// <summary>y = round half to even (x).</summary>
readonly struct RoundOp : IUnaryOp
{
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Round(x, y);
}

/// <summary>y = sin x.</summary>
readonly struct SinOp : IUnaryOp
{
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Sin(x, y);
}

/// <summary>y = cos x.</summary>
readonly struct CosOp : IUnaryOp
{
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Cos(x, y);
}

/// <summary>y = erf x (Abramowitz–Stegun 7.1.26 evaluated in double; |error| &lt; 1.5e-7).</summary>
readonly struct ErfOp : IUnaryOp
{
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var i = 0; i < x.Length; i++)
            y[i] = T.CreateTruncating(Erf(double.CreateTruncating(x[i])));
    }

    public static double Erf(double x)
    {
        const double A1 = 0.254829592, A2 = -0.284496736, A3 = 1.421413741, A4 = -1.453152027, A5 = 1.061405429, P = 0.3275911;
        if (double.IsNaN(x))
            return x;
        var sign = x < 0 ? -1.0 : 1.0;
        var a = Math.Abs(x);
        var t = 1.0 / (1.0 + P * a);
        var poly = ((((A5 * t + A4) * t + A3) * t + A2) * t + A1) * t;
        return sign * (1.0 - poly * Math.Exp(-a * a));
    }
}
