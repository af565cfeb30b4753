using System.Numerics;
using OnnxFuse.Engine.Kernels.Elementwise;

namespace OnnxFuse.Engine.Kernels.Activations;

/// <summary>y = ln(1 + eˣ).</summary>
readonly struct SoftplusOp : IUnaryOp
{
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var i = 0; i < x.Length; i++)
            y[i] = x[i] > T.CreateTruncating(20) ? x[i] : T.Log(T.One + T.Exp(x[i]));
    }
}

/// <summary>y = x · clamp(x/6 + 1/2, 0, 1).</summary>
readonly struct HardSwishOp : IUnaryOp
{
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var sixth = T.One / T.CreateTruncating(6);
        var half = T.CreateTruncating(0.5);
        for (var i = 0; i < x.Length; i++)
            y[i] = x[i] * T.Clamp(x[i] * sixth + half, T.Zero, T.One);
    }
}

/// <summary>y = x · tanh(softplus(x)).</summary>
readonly struct MishOp : IUnaryOp
{
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var i = 0; i < x.Length; i++)
            y[i] = x[i] * T.Tanh(T.Log(T.One + T.Exp(x[i])));
    }
}
