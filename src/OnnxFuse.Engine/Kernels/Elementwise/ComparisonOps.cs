using System.Numerics;

namespace OnnxFuse.Engine.Kernels.Elementwise;

/// <summary>A comparison defined once for every numeric element type.</summary>
interface IComparisonOp
{
    static abstract bool Invoke<T>(T left, T right) where T : unmanaged, INumber<T>;
}

/// <summary>a == b.</summary>
readonly struct EqualOp : IComparisonOp
{
    public static bool Invoke<T>(T left, T right) where T : unmanaged, INumber<T> => left == right;
}

/// <summary>a &lt; b.</summary>
readonly struct LessOp : IComparisonOp
{
    public static bool Invoke<T>(T left, T right) where T : unmanaged, INumber<T> => left < right;
}

/// <summary>a &gt; b.</summary>
readonly struct GreaterOp : IComparisonOp
{
    public static bool Invoke<T>(T left, T right) where T : unmanaged, INumber<T> => left > right;
}

/// <summary>a ≤ b.</summary>
readonly struct LessOrEqualOp : IComparisonOp
{
    public static bool Invoke<T>(T left, T right) where T : unmanaged, INumber<T> => left <= right;
}

/// <summary>a ≥ b.</summary>
readonly struct GreaterOrEqualOp : IComparisonOp
{
    public static bool Invoke<T>(T left, T right) where T : unmanaged, INumber<T> => left >= right;
}

/// <summary>Binds an <see cref="IComparisonOp"/> to one element type for <see cref="BroadcastDriver"/>.</summary>
readonly struct ComparisonAdapter<T, TOp> : IBinaryOp<T, bool> where T : unmanaged, INumber<T> where TOp : IComparisonOp
{
    public static void Invoke(ReadOnlySpan<T> left, ReadOnlySpan<T> right, Span<bool> destination)
    {
        for (var i = 0; i < destination.Length; i++)
            destination[i] = TOp.Invoke(left[i], right[i]);
    }

    public static void Invoke(ReadOnlySpan<T> left, T right, Span<bool> destination)
    {
        for (var i = 0; i < destination.Length; i++)
            destination[i] = TOp.Invoke(left[i], right);
    }

    public static void Invoke(T left, ReadOnlySpan<T> right, Span<bool> destination)
    {
        for (var i = 0; i < destination.Length; i++)
            destination[i] = TOp.Invoke(left, right[i]);
    }
}
