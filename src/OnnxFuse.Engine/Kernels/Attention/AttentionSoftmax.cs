using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using OnnxFuse.Engine.Simd;

namespace OnnxFuse.Engine.Kernels.Attention;

/// <summary>
/// One row of attention scores turned into probabilities in place: x = scores + mask + bias (either may be empty),
/// p = e^(x − max x) / Σ e^(x − max x), with <see cref="ExpOp"/>. Three passes over the row (add and max, exp and sum,
/// scale) where separate element-wise calls would make six: on rows of a hundred-odd scores the calls' fixed cost,
/// not the arithmetic, dominated. <see cref="Exponentiate(Span{float}, ReadOnlySpan{float}, ReadOnlySpan{float})"/>
/// stops before the scale pass and returns the sum, for callers that divide the (shorter) P·V row instead. The
/// Vector256 path runs where <see cref="SimdCapability.Width"/> allows, its tail scalar; <see cref="RunScalar"/> and
/// <see cref="ExponentiateScalar"/> are the references it is tested against.
/// </summary>
static class AttentionSoftmax
{
    public static void Run(Span<float> scores, ReadOnlySpan<float> mask, ReadOnlySpan<float> bias) =>
        Run(scores, mask, bias, SimdCapability.Width);

    /// <summary>As <see cref="Run(Span{float}, ReadOnlySpan{float}, ReadOnlySpan{float})"/> with an explicit width cap (tests).</summary>
    public static void Run(Span<float> scores, ReadOnlySpan<float> mask, ReadOnlySpan<float> bias, SimdWidth width)
    {
        var sum = Exponentiate(scores, mask, bias, width);
        if (width >= SimdWidth.Vector256)
            TensorPrimitives.Multiply(scores, 1f / sum, scores);
        else
            Scale(scores, 1f / sum);
    }

    public static void RunScalar(Span<float> scores, ReadOnlySpan<float> mask, ReadOnlySpan<float> bias) =>
        Scale(scores, 1f / ExponentiateScalar(scores, mask, bias));

    /// <summary>
    /// Replaces x = scores + mask + bias by e^(x − max x) in place and returns Σ e^(x − max x): the softmax numerators
    /// and their common denominator.
    /// </summary>
    public static float Exponentiate(Span<float> scores, ReadOnlySpan<float> mask, ReadOnlySpan<float> bias) =>
        Exponentiate(scores, mask, bias, SimdCapability.Width);

    /// <summary>As <see cref="Exponentiate(Span{float}, ReadOnlySpan{float}, ReadOnlySpan{float})"/> with an explicit width cap (tests).</summary>
    public static float Exponentiate(Span<float> scores, ReadOnlySpan<float> mask, ReadOnlySpan<float> bias, SimdWidth width)
    {
        if (!mask.IsEmpty && mask.Length < scores.Length || !bias.IsEmpty && bias.Length < scores.Length)
            throw new ArgumentException("mask and bias must cover the scores");
        return width >= SimdWidth.Vector256 && scores.Length >= Vector256<float>.Count
            ? ExponentiateVector256(scores, mask, bias)
            : ExponentiateScalar(scores, mask, bias);
    }

    public static float ExponentiateScalar(Span<float> scores, ReadOnlySpan<float> mask, ReadOnlySpan<float> bias)
    {
        var max = float.NegativeInfinity;
        for (var i = 0; i < scores.Length; i++)
        {
            var x = scores[i] + (mask.IsEmpty ? 0f : mask[i]) + (bias.IsEmpty ? 0f : bias[i]);
            scores[i] = x;
            max = MathF.Max(max, x);
        }
        var sum = 0f;
        for (var i = 0; i < scores.Length; i++)
            sum += scores[i] = default(ExpOp).Invoke(scores[i] - max);
        return sum;
    }

    static void Scale(Span<float> values, float factor)
    {
        for (var i = 0; i < values.Length; i++)
            values[i] *= factor;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static float ExponentiateVector256(Span<float> scores, ReadOnlySpan<float> mask, ReadOnlySpan<float> bias)
    {
        var length = scores.Length;
        var count = Vector256<float>.Count;
        ref var x = ref MemoryMarshal.GetReference(scores);
        ref var m = ref MemoryMarshal.GetReference(mask);
        ref var b = ref MemoryMarshal.GetReference(bias);
        var (hasMask, hasBias) = (!mask.IsEmpty, !bias.IsEmpty);

        var maxima = Vector256.Create(float.NegativeInfinity);
        var i = 0;
        for (; i <= length - count; i += count)
        {
            var v = Vector256.LoadUnsafe(ref x, (nuint)i);
            if (hasMask)
                v += Vector256.LoadUnsafe(ref m, (nuint)i);
            if (hasBias)
                v += Vector256.LoadUnsafe(ref b, (nuint)i);
            v.StoreUnsafe(ref x, (nuint)i);
            // The native maximum is one instruction; the IEEE one (NaN and ±0 ordering) is eight on a loop-carried
            // chain, and cost more than the exponentials. A NaN score still reaches the sum through its exponential.
            maxima = Vector256.MaxNative(maxima, v);
        }
        var half = Vector128.MaxNative(maxima.GetLower(), maxima.GetUpper());
        half = Vector128.MaxNative(half, Vector128.Shuffle(half, Vector128.Create(2, 3, 0, 1)));
        half = Vector128.MaxNative(half, Vector128.Shuffle(half, Vector128.Create(1, 0, 3, 2)));
        var max = half.ToScalar();
        for (; i < length; i++)
        {
            var v = Unsafe.Add(ref x, i) + (hasMask ? Unsafe.Add(ref m, i) : 0f) + (hasBias ? Unsafe.Add(ref b, i) : 0f);
            Unsafe.Add(ref x, i) = v;
            max = MathF.Max(max, v);
        }

        var shift = Vector256.Create(max);
        var sums = Vector256<float>.Zero;
        i = 0;
        for (; i <= length - count; i += count)
        {
            var e = default(ExpOp).Invoke(Vector256.LoadUnsafe(ref x, (nuint)i) - shift);
            e.StoreUnsafe(ref x, (nuint)i);
            sums += e;
        }
        var sum = Vector256.Sum(sums);
        for (; i < length; i++)
            sum += Unsafe.Add(ref x, i) = default(ExpOp).Invoke(Unsafe.Add(ref x, i) - max);
        return sum;
    }
}
