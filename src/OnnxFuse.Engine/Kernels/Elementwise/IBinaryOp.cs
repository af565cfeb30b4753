namespace OnnxFuse.Engine.Kernels.Elementwise;

/// <summary>
/// An element-wise binary operation on contiguous runs, in the three forms broadcasting needs:
/// both operands varying, right operand fixed, left operand fixed. Each writes destination[i] = op(left, right).
/// </summary>
interface IBinaryOp<T, TResult>
{
    static abstract void Invoke(ReadOnlySpan<T> left, ReadOnlySpan<T> right, Span<TResult> destination);

    static abstract void Invoke(ReadOnlySpan<T> left, T right, Span<TResult> destination);

    static abstract void Invoke(T left, ReadOnlySpan<T> right, Span<TResult> destination);
}
