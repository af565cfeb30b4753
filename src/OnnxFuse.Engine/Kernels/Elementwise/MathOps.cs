using System.Numerics;
using System.Numerics.Tensors;

namespace OnnxFuse.Engine.Kernels.Elementwise;

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
