using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace OnnxFuse.Engine.Simd;

/// <summary>
/// Runs an <see cref="IUnaryOp"/> over a span: y[i] = op(x[i]). Handles widths and tails in one place: the widest
/// allowed vector runs the body four at a time, and the tail is one overlapping vector computed from the original
/// input before the body runs, so input and output may be the same span.
/// Spans shorter than a vector fall through to narrower widths and finally to scalar code.
/// </summary>
public static class UnaryDriver
{
    public static void Run<TOp>(ReadOnlySpan<float> input, Span<float> output)
        where TOp : struct, IUnaryOp => Run(input, default(TOp), SimdCapability.Width, output);

    public static void Run<TOp>(ReadOnlySpan<float> input, TOp op, Span<float> output)
        where TOp : struct, IUnaryOp => Run(input, op, SimdCapability.Width, output);

    /// <summary>As <see cref="Run{TOp}(ReadOnlySpan{float}, TOp, Span{float})"/> with an explicit width cap (tests).</summary>
    public static void Run<TOp>(ReadOnlySpan<float> input, TOp op, SimdWidth width, Span<float> output)
        where TOp : struct, IUnaryOp
    {
        ElementwiseChecks.Destination(input.Length, input, output);
        var length = (nuint)input.Length;
        ref var x = ref MemoryMarshal.GetReference(input);
        ref var y = ref MemoryMarshal.GetReference(output);
        if (width >= SimdWidth.Vector512 && length >= (nuint)Vector512<float>.Count)
        {
            RunVector512(ref x, ref y, length, op);
            return;
        }
        if (width >= SimdWidth.Vector256 && length >= (nuint)Vector256<float>.Count)
        {
            RunVector256(ref x, ref y, length, op);
            return;
        }
        if (width >= SimdWidth.Vector128 && length >= (nuint)Vector128<float>.Count)
        {
            RunVector128(ref x, ref y, length, op);
            return;
        }
        for (nuint i = 0; i < length; i++)
            Unsafe.Add(ref y, i) = op.Invoke(Unsafe.Add(ref x, i));
    }

    static void RunVector512<TOp>(ref float x, ref float y, nuint length, TOp op)
        where TOp : struct, IUnaryOp
    {
        var count = (nuint)Vector512<float>.Count;
        var last = op.Invoke(Vector512.LoadUnsafe(ref x, length - count));
        nuint i = 0;
        for (; i + 4 * count <= length; i += 4 * count)
        {
            op.Invoke(Vector512.LoadUnsafe(ref x, i)).StoreUnsafe(ref y, i);
            op.Invoke(Vector512.LoadUnsafe(ref x, i + count)).StoreUnsafe(ref y, i + count);
            op.Invoke(Vector512.LoadUnsafe(ref x, i + 2 * count)).StoreUnsafe(ref y, i + 2 * count);
            op.Invoke(Vector512.LoadUnsafe(ref x, i + 3 * count)).StoreUnsafe(ref y, i + 3 * count);
        }
        for (; i + count <= length; i += count)
            op.Invoke(Vector512.LoadUnsafe(ref x, i)).StoreUnsafe(ref y, i);
        last.StoreUnsafe(ref y, length - count);
    }

    static void RunVector256<TOp>(ref float x, ref float y, nuint length, TOp op)
        where TOp : struct, IUnaryOp
    {
        var count = (nuint)Vector256<float>.Count;
        var last = op.Invoke(Vector256.LoadUnsafe(ref x, length - count));
        nuint i = 0;
        for (; i + 4 * count <= length; i += 4 * count)
        {
            op.Invoke(Vector256.LoadUnsafe(ref x, i)).StoreUnsafe(ref y, i);
            op.Invoke(Vector256.LoadUnsafe(ref x, i + count)).StoreUnsafe(ref y, i + count);
            op.Invoke(Vector256.LoadUnsafe(ref x, i + 2 * count)).StoreUnsafe(ref y, i + 2 * count);
            op.Invoke(Vector256.LoadUnsafe(ref x, i + 3 * count)).StoreUnsafe(ref y, i + 3 * count);
        }
        for (; i + count <= length; i += count)
            op.Invoke(Vector256.LoadUnsafe(ref x, i)).StoreUnsafe(ref y, i);
        last.StoreUnsafe(ref y, length - count);
    }

    static void RunVector128<TOp>(ref float x, ref float y, nuint length, TOp op)
        where TOp : struct, IUnaryOp
    {
        var count = (nuint)Vector128<float>.Count;
        var last = op.Invoke(Vector128.LoadUnsafe(ref x, length - count));
        nuint i = 0;
        for (; i + 4 * count <= length; i += 4 * count)
        {
            op.Invoke(Vector128.LoadUnsafe(ref x, i)).StoreUnsafe(ref y, i);
            op.Invoke(Vector128.LoadUnsafe(ref x, i + count)).StoreUnsafe(ref y, i + count);
            op.Invoke(Vector128.LoadUnsafe(ref x, i + 2 * count)).StoreUnsafe(ref y, i + 2 * count);
            op.Invoke(Vector128.LoadUnsafe(ref x, i + 3 * count)).StoreUnsafe(ref y, i + 3 * count);
        }
        for (; i + count <= length; i += count)
            op.Invoke(Vector128.LoadUnsafe(ref x, i)).StoreUnsafe(ref y, i);
        last.StoreUnsafe(ref y, length - count);
    }
}
