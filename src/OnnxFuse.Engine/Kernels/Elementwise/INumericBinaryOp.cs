using System.Numerics;

namespace OnnxFuse.Engine.Kernels.Elementwise;

/// <summary>A binary arithmetic op defined once for every numeric element type (Add, Sub, Mul, Div, Max, Min).</summary>
interface INumericBinaryOp
{
    static abstract void Invoke<T>(ReadOnlySpan<T> left, ReadOnlySpan<T> right, Span<T> destination) where T : unmanaged, INumber<T>;

    static abstract void Invoke<T>(ReadOnlySpan<T> left, T right, Span<T> destination) where T : unmanaged, INumber<T>;

    static abstract void Invoke<T>(T left, ReadOnlySpan<T> right, Span<T> destination) where T : unmanaged, INumber<T>;
}

/// <summary>Binds an <see cref="INumericBinaryOp"/> to one element type for <see cref="BroadcastDriver"/>.</summary>
readonly struct NumericBinaryAdapter<T, TOp> : IBinaryOp<T, T> where T : unmanaged, INumber<T> where TOp : INumericBinaryOp
{
    public static void Invoke(ReadOnlySpan<T> left, ReadOnlySpan<T> right, Span<T> destination) => TOp.Invoke(left, right, destination);

    public static void Invoke(ReadOnlySpan<T> left, T right, Span<T> destination) => TOp.Invoke(left, right, destination);

    public static void Invoke(T left, ReadOnlySpan<T> right, Span<T> destination) => TOp.Invoke(left, right, destination);
}
