using System.Numerics;
using System.Numerics.Tensors;
using OnnxFuse.Engine.Kernels.Elementwise;

namespace OnnxFuse.Engine.Kernels.Activation;

/// <summary>y = max(x, 0).</summary>
readonly struct ReluOp : IUnaryOp
{
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Max(x, T.Zero, y);
}

/// <summary>y = 1 / (1 + e⁻ˣ).</summary>
readonly struct SigmoidOp : IUnaryOp
{
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Sigmoid(x, y);
}

/// <summary>y = tanh x.</summary>
readonly struct TanhOp : IUnaryOp
{
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T> => TensorPrimitives.Tanh(x, y);
}

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

/// <summary>GELU, exact: y = x/2 · (1 + erf(x/√2)).</summary>
readonly struct GeluErfOp : IUnaryOp
{
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var i = 0; i < x.Length; i++)
        {
            var v = double.CreateTruncating(x[i]);
            y[i] = T.CreateTruncating(0.5 * v * (1.0 + ErfOp.Erf(v * 0.70710678118654752)));
        }
    }
}

/// <summary>GELU, tanh approximation: y = x/2 · (1 + tanh(√(2/π) · (x + 0.044715 x³))).</summary>
readonly struct GeluTanhOp : IUnaryOp
{
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (var i = 0; i < x.Length; i++)
        {
            var v = double.CreateTruncating(x[i]);
            y[i] = T.CreateTruncating(0.5 * v * (1.0 + Math.Tanh(0.7978845608028654 * (v + 0.044715 * v * v * v))));
        }
    }
}

/// <summary>QuickGelu with the usual α = 1.702: y = x · sigmoid(α x).</summary>
readonly struct QuickGeluOp : IUnaryOp
{
    public static void Invoke<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>
    {
        var alpha = T.CreateTruncating(1.702);
        for (var i = 0; i < x.Length; i++)
            y[i] = x[i] / (T.One + T.Exp(-alpha * x[i]));
    }
}
