using System.Numerics;
using System.Numerics.Tensors;

namespace OnnxFuse.Engine.Kernels.Elementwise;

/// <summary>y = a + b.</summary>
readonly struct AddOp : INumericBinaryOp
{
    public static void Invoke<T>(ReadOnlySpan<T> left, ReadOnlySpan<T> right, Span<T> destination) where T : unmanaged, INumber<T> => TensorPrimitives.Add(left, right, destination);

    public static void Invoke<T>(ReadOnlySpan<T> left, T right, Span<T> destination) where T : unmanaged, INumber<T> => TensorPrimitives.Add(left, right, destination);

    public static void Invoke<T>(T left, ReadOnlySpan<T> right, Span<T> destination) where T : unmanaged, INumber<T> => TensorPrimitives.Add(right, left, destination);
}

/// <summary>y = a − b.</summary>
readonly struct SubOp : INumericBinaryOp
{
    public static void Invoke<T>(ReadOnlySpan<T> left, ReadOnlySpan<T> right, Span<T> destination) where T : unmanaged, INumber<T> => TensorPrimitives.Subtract(left, right, destination);

    public static void Invoke<T>(ReadOnlySpan<T> left, T right, Span<T> destination) where T : unmanaged, INumber<T> => TensorPrimitives.Subtract(left, right, destination);

    public static void Invoke<T>(T left, ReadOnlySpan<T> right, Span<T> destination) where T : unmanaged, INumber<T> => TensorPrimitives.Subtract(left, right, destination);
}

/// <summary>y = a · b.</summary>
readonly struct MulOp : INumericBinaryOp
{
    public static void Invoke<T>(ReadOnlySpan<T> left, ReadOnlySpan<T> right, Span<T> destination) where T : unmanaged, INumber<T> => TensorPrimitives.Multiply(left, right, destination);

    public static void Invoke<T>(ReadOnlySpan<T> left, T right, Span<T> destination) where T : unmanaged, INumber<T> => TensorPrimitives.Multiply(left, right, destination);

    public static void Invoke<T>(T left, ReadOnlySpan<T> right, Span<T> destination) where T : unmanaged, INumber<T> => TensorPrimitives.Multiply(right, left, destination);
}

/// <summary>y = a / b (integer division truncates toward zero).</summary>
readonly struct DivOp : INumericBinaryOp
{
    public static void Invoke<T>(ReadOnlySpan<T> left, ReadOnlySpan<T> right, Span<T> destination) where T : unmanaged, INumber<T> => TensorPrimitives.Divide(left, right, destination);

    public static void Invoke<T>(ReadOnlySpan<T> left, T right, Span<T> destination) where T : unmanaged, INumber<T> => TensorPrimitives.Divide(left, right, destination);

    public static void Invoke<T>(T left, ReadOnlySpan<T> right, Span<T> destination) where T : unmanaged, INumber<T> => TensorPrimitives.Divide(left, right, destination);
}

/// <summary>y = max(a, b), NaN propagating.</summary>
readonly struct MaxOp : INumericBinaryOp
{
    public static void Invoke<T>(ReadOnlySpan<T> left, ReadOnlySpan<T> right, Span<T> destination) where T : unmanaged, INumber<T> => TensorPrimitives.Max(left, right, destination);

    public static void Invoke<T>(ReadOnlySpan<T> left, T right, Span<T> destination) where T : unmanaged, INumber<T> => TensorPrimitives.Max(left, right, destination);

    public static void Invoke<T>(T left, ReadOnlySpan<T> right, Span<T> destination) where T : unmanaged, INumber<T> => TensorPrimitives.Max(right, left, destination);
}

/// <summary>y = min(a, b), NaN propagating.</summary>
readonly struct MinOp : INumericBinaryOp
{
    public static void Invoke<T>(ReadOnlySpan<T> left, ReadOnlySpan<T> right, Span<T> destination) where T : unmanaged, INumber<T> => TensorPrimitives.Min(left, right, destination);

    public static void Invoke<T>(ReadOnlySpan<T> left, T right, Span<T> destination) where T : unmanaged, INumber<T> => TensorPrimitives.Min(left, right, destination);

    public static void Invoke<T>(T left, ReadOnlySpan<T> right, Span<T> destination) where T : unmanaged, INumber<T> => TensorPrimitives.Min(right, left, destination);
}
