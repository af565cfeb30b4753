using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace OnnxFuse.Engine.Simd;

/// <summary>
/// Runs an <see cref="IBinaryOp"/> element-wise: z[i] = op(x[i], y[i]) for two same-length spans, or
/// z[i] = op(x[i], y) for a scalar right operand. Same width and tail handling as <see cref="UnaryDriver"/>;
/// the destination may be exactly either source.
/// </summary>
public static class BinaryDriver
{
    public static void Run<TOp>(ReadOnlySpan<float> left, ReadOnlySpan<float> right, Span<float> output)
        where TOp : struct, IBinaryOp => Run(left, right, default(TOp), SimdCapability.Width, output);

    public static void Run<TOp>(ReadOnlySpan<float> left, float right, Span<float> output)
        where TOp : struct, IBinaryOp => Run(left, right, default(TOp), SimdCapability.Width, output);

    /// <summary>Same-length operands with an explicit width cap (tests).</summary>
    public static void Run<TOp>(ReadOnlySpan<float> left, ReadOnlySpan<float> right, TOp op, SimdWidth width, Span<float> output)
        where TOp : struct, IBinaryOp
    {
        ElementwiseChecks.SameLength(left, right);
        ElementwiseChecks.Destination(left.Length, left, output);
        ElementwiseChecks.Destination(left.Length, right, output);
        var length = (nuint)left.Length;
        ref var x = ref MemoryMarshal.GetReference(left);
        ref var y = ref MemoryMarshal.GetReference(right);
        ref var z = ref MemoryMarshal.GetReference(output);
        if (width >= SimdWidth.Vector512 && length >= (nuint)Vector512<float>.Count)
        {
            var count = (nuint)Vector512<float>.Count;
            var last = op.Invoke(Vector512.LoadUnsafe(ref x, length - count), Vector512.LoadUnsafe(ref y, length - count));
            for (nuint i = 0; i + count <= length; i += count)
                op.Invoke(Vector512.LoadUnsafe(ref x, i), Vector512.LoadUnsafe(ref y, i)).StoreUnsafe(ref z, i);
            last.StoreUnsafe(ref z, length - count);
            return;
        }
        if (width >= SimdWidth.Vector256 && length >= (nuint)Vector256<float>.Count)
        {
            var count = (nuint)Vector256<float>.Count;
            var last = op.Invoke(Vector256.LoadUnsafe(ref x, length - count), Vector256.LoadUnsafe(ref y, length - count));
            for (nuint i = 0; i + count <= length; i += count)
                op.Invoke(Vector256.LoadUnsafe(ref x, i), Vector256.LoadUnsafe(ref y, i)).StoreUnsafe(ref z, i);
            last.StoreUnsafe(ref z, length - count);
            return;
        }
        if (width >= SimdWidth.Vector128 && length >= (nuint)Vector128<float>.Count)
        {
            var count = (nuint)Vector128<float>.Count;
            var last = op.Invoke(Vector128.LoadUnsafe(ref x, length - count), Vector128.LoadUnsafe(ref y, length - count));
            for (nuint i = 0; i + count <= length; i += count)
                op.Invoke(Vector128.LoadUnsafe(ref x, i), Vector128.LoadUnsafe(ref y, i)).StoreUnsafe(ref z, i);
            last.StoreUnsafe(ref z, length - count);
            return;
        }
        for (nuint i = 0; i < length; i++)
            Unsafe.Add(ref z, i) = op.Invoke(Unsafe.Add(ref x, i), Unsafe.Add(ref y, i));
    }

    /// <summary>Scalar right operand with an explicit width cap (tests).</summary>
    public static void Run<TOp>(ReadOnlySpan<float> left, float right, TOp op, SimdWidth width, Span<float> output)
        where TOp : struct, IBinaryOp =>
        UnaryDriver.Run(left, new BoundRight<TOp>(op, right), width, output);

    /// <summary>Adapts a binary operator with a fixed right operand to <see cref="IUnaryOp"/>.</summary>
    readonly struct BoundRight<TOp>(TOp op, float right) : IUnaryOp
        where TOp : struct, IBinaryOp
    {
        public float Invoke(float x) => op.Invoke(x, right);
        public Vector128<float> Invoke(Vector128<float> x) => op.Invoke(x, Vector128.Create(right));
        public Vector256<float> Invoke(Vector256<float> x) => op.Invoke(x, Vector256.Create(right));
        public Vector512<float> Invoke(Vector512<float> x) => op.Invoke(x, Vector512.Create(right));
    }
}
