using System.Numerics;
using OnnxFuse.Ir.Errors;

namespace OnnxFuse.Engine.Kernels.Elementwise;

/// <summary>Mod with fmod = 0 (integers): the remainder takes the divisor's sign, as Python's %. A zero divisor throws.</summary>
readonly struct FloorModOp : INumericBinaryOp
{
    public static void Invoke<T>(ReadOnlySpan<T> left, ReadOnlySpan<T> right, Span<T> destination) where T : unmanaged, INumber<T>
    {
        for (var i = 0; i < destination.Length; i++)
            destination[i] = Mod(left[i], right[i]);
    }

    public static void Invoke<T>(ReadOnlySpan<T> left, T right, Span<T> destination) where T : unmanaged, INumber<T>
    {
        for (var i = 0; i < destination.Length; i++)
            destination[i] = Mod(left[i], right);
    }

    public static void Invoke<T>(T left, ReadOnlySpan<T> right, Span<T> destination) where T : unmanaged, INumber<T>
    {
        for (var i = 0; i < destination.Length; i++)
            destination[i] = Mod(left, right[i]);
    }

    static T Mod<T>(T dividend, T divisor) where T : INumber<T>
    {
        var remainder = dividend % ModChecks.Divisor(divisor);
        return !T.IsZero(remainder) && T.IsNegative(remainder) != T.IsNegative(divisor) ? remainder + divisor : remainder;
    }
}

/// <summary>Mod with fmod = 1: the truncated remainder, which takes the dividend's sign, as C's fmod.</summary>
readonly struct TruncatedModOp : INumericBinaryOp
{
    public static void Invoke<T>(ReadOnlySpan<T> left, ReadOnlySpan<T> right, Span<T> destination) where T : unmanaged, INumber<T>
    {
        for (var i = 0; i < destination.Length; i++)
            destination[i] = left[i] % ModChecks.Divisor(right[i]);
    }

    public static void Invoke<T>(ReadOnlySpan<T> left, T right, Span<T> destination) where T : unmanaged, INumber<T>
    {
        for (var i = 0; i < destination.Length; i++)
            destination[i] = left[i] % ModChecks.Divisor(right);
    }

    public static void Invoke<T>(T left, ReadOnlySpan<T> right, Span<T> destination) where T : unmanaged, INumber<T>
    {
        for (var i = 0; i < destination.Length; i++)
            destination[i] = left % ModChecks.Divisor(right[i]);
    }
}

/// <summary>An integer remainder by zero is an error with a message, not a <see cref="DivideByZeroException"/>; floats give NaN.</summary>
static class ModChecks
{
    public static T Divisor<T>(T divisor) where T : INumber<T> =>
        T.IsZero(divisor) && typeof(T) != typeof(float) && typeof(T) != typeof(double) && typeof(T) != typeof(Half)
            ? Throw.ShapeMismatch<T>("Mod by an integer zero")
            : divisor;
}
