using System.Buffers;
using System.Numerics;
using OnnxFuse.Engine.Tensors;

namespace OnnxFuse.Engine.Kernels.Reduction;

/// <summary>
/// Reduce* over the given axes (attribute, or input 1 from ReduceSum-13 / all Reduce ops at 18), keepdims, and
/// noop_with_empty_axes (empty axes: reduce everything, or pass through). Each input element is mapped (x², |x|, eˣ),
/// folded with +, ·, max or min into its output element, and the result finished (÷n, √, ln).
/// Works for every numeric type; Mean, L2, LogSum and LogSumExp finish in double.
/// </summary>
sealed class ReduceKernel(ReduceKind kind, long[]? axesAttribute, bool keepDims, bool noopWithEmptyAxes) : Kernel
{
    public override void Run(KernelContext context)
    {
        var input = context.Input(0);
        var rank = input.Rank;
        Span<long> axes = stackalloc long[ShapeMath.MaxRank];
        var axisCount = axesAttribute is not null ? Copy(axesAttribute, axes)
            : context.OptionalInput(1) is { } axesInput ? IntTensors.Read(axesInput, axes) : 0;
        Span<bool> reduced = stackalloc bool[rank];
        reduced.Clear();
        if (axisCount == 0)
        {
            if (noopWithEmptyAxes)
            {
                context.AliasOutput(0, input, input.Dims);
                return;
            }
            reduced.Fill(true);
        }
        for (var i = 0; i < axisCount; i++)
            reduced[ShapeMath.NormalizeAxis(axes[i], rank)] = true;
        Span<int> keptDims = stackalloc int[rank];
        Span<int> outputDims = stackalloc int[rank];
        var outputRank = 0;
        var reduceCount = 1;
        for (var d = 0; d < rank; d++)
        {
            keptDims[d] = reduced[d] ? 1 : input.Dim(d);
            if (reduced[d])
                reduceCount *= input.Dim(d);
            if (!reduced[d] || keepDims)
                outputDims[outputRank++] = keptDims[d];
        }
        var output = context.Output(0, input.ElementType, outputDims[..outputRank]);
        var action = new Action(input, keptDims, reduceCount, kind, output);
        ElementDispatch.Numeric(input.ElementType, ref action);
    }

    static int Copy(long[] source, Span<long> destination)
    {
        source.CopyTo(destination);
        return source.Length;
    }

    /// <summary>Reduces <paramref name="input"/> [inputDims] into <paramref name="output"/> [keptDims] (reduced axes 1).</summary>
    public static void Compute<T>(ReadOnlySpan<T> input, ReadOnlySpan<int> inputDims, ReadOnlySpan<int> keptDims, int reduceCount,
        ReduceKind kind, Span<T> output) where T : unmanaged, INumber<T>
    {
        if (typeof(T) == typeof(float) && TrailingRows(System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(input), inputDims, keptDims,
            reduceCount, kind, System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(output)))
            return;
        var fold = kind switch
        {
            ReduceKind.Max => Fold.Max,
            ReduceKind.Min => Fold.Min,
            ReduceKind.Prod => Fold.Product,
            _ => Fold.Sum,
        };
        var rank = inputDims.Length;
        Span<int> outputStrides = stackalloc int[rank];
        ShapeMath.BroadcastStrides(keptDims, inputDims, outputStrides);
        // Accumulate in double for floats' sums so long rows keep their precision.
        var accumulator = ArrayPool<double>.Shared.Rent(Math.Max(1, output.Length));
        var sums = accumulator.AsSpan(0, output.Length);
        sums.Fill(fold switch { Fold.Max => double.NegativeInfinity, Fold.Min => double.PositiveInfinity, Fold.Product => 1, _ => 0 });
        var integral = typeof(T) == typeof(long) || typeof(T) == typeof(ulong);
        Span<T> exact = integral ? new T[output.Length] : default;
        if (integral)
            exact.Fill(fold switch { Fold.Max => T.CreateSaturating(long.MinValue), Fold.Min => T.CreateSaturating(ulong.MaxValue), Fold.Product => T.One, _ => T.Zero });

        // Trailing axes that are all kept (or all reduced) form contiguous runs handled in one go.
        var innerKept = 1;
        var axis = rank - 1;
        while (axis >= 0 && outputStrides[axis] != 0 && outputStrides[axis] == innerKept)
            innerKept *= inputDims[axis--];
        Span<int> counter = stackalloc int[rank];
        counter.Clear();
        var target = 0;
        for (var source = 0; source < input.Length; source += innerKept)
        {
            for (var i = 0; i < innerKept; i++)
            {
                var value = input[source + i];
                if (integral)
                {
                    ref var slot = ref exact[target + i];
                    slot = fold switch
                    {
                        Fold.Max => T.Max(slot, value),
                        Fold.Min => T.Min(slot, value),
                        Fold.Product => slot * value,
                        _ => slot + Map(value, kind),
                    };
                    continue;
                }
                var mapped = double.CreateTruncating(value);
                ref var sum = ref sums[target + i];
                switch (fold)
                {
                    case Fold.Max: sum = Math.Max(sum, mapped); break;
                    case Fold.Min: sum = Math.Min(sum, mapped); break;
                    case Fold.Product: sum *= mapped; break;
                    default:
                        sum += kind switch
                        {
                            ReduceKind.SumSquare or ReduceKind.L2 => mapped * mapped,
                            ReduceKind.L1 => Math.Abs(mapped),
                            ReduceKind.LogSumExp => Math.Exp(mapped),
                            _ => mapped,
                        };
                        break;
                }
            }
            for (var a = axis; a >= 0; a--)
            {
                target += outputStrides[a];
                if (++counter[a] < inputDims[a])
                    break;
                target -= outputStrides[a] * inputDims[a];
                counter[a] = 0;
            }
        }
        for (var i = 0; i < output.Length; i++)
        {
            if (integral)
            {
                output[i] = kind == ReduceKind.Mean ? exact[i] / T.CreateTruncating(reduceCount) : exact[i];
                continue;
            }
            var value = sums[i];
            output[i] = T.CreateSaturating(kind switch
            {
                ReduceKind.Mean => value / reduceCount,
                ReduceKind.L2 => Math.Sqrt(value),
                ReduceKind.LogSum or ReduceKind.LogSumExp => Math.Log(value),
                _ => value,
            });
        }
        ArrayPool<double>.Shared.Return(accumulator);
    }

    /// <summary>Fast path: float Sum/Mean/Max/Min over trailing axes is one TensorPrimitives call per row.</summary>
    static bool TrailingRows(ReadOnlySpan<float> input, ReadOnlySpan<int> inputDims, ReadOnlySpan<int> keptDims, int reduceCount,
        ReduceKind kind, Span<float> output)
    {
        if (kind is not (ReduceKind.Sum or ReduceKind.Mean or ReduceKind.Max or ReduceKind.Min) || reduceCount == 0)
            return false;
        var d = inputDims.Length - 1;
        while (d >= 0 && keptDims[d] == 1)
            d--;
        for (; d >= 0; d--)
            if (keptDims[d] != inputDims[d])
                return false;
        for (var row = 0; row < output.Length; row++)
        {
            var values = input.Slice(row * reduceCount, reduceCount);
            output[row] = kind switch
            {
                ReduceKind.Max => System.Numerics.Tensors.TensorPrimitives.Max(values),
                ReduceKind.Min => System.Numerics.Tensors.TensorPrimitives.Min(values),
                ReduceKind.Mean => System.Numerics.Tensors.TensorPrimitives.Sum(values) / reduceCount,
                _ => System.Numerics.Tensors.TensorPrimitives.Sum(values),
            };
        }
        return true;
    }

    static T Map<T>(T value, ReduceKind kind) where T : INumber<T> => kind switch
    {
        ReduceKind.SumSquare or ReduceKind.L2 => value * value,
        ReduceKind.L1 => T.Abs(value),
        _ => value,
    };

    enum Fold
    {
        Sum,
        Max,
        Min,
        Product,
    }

    readonly ref struct Action(RuntimeTensor input, ReadOnlySpan<int> keptDims, int reduceCount, ReduceKind kind, RuntimeTensor output) : INumericAction
    {
        readonly ReadOnlySpan<int> _keptDims = keptDims;

        public void Invoke<T>() where T : unmanaged, INumber<T> =>
            Compute(input.Read<T>(), input.Dims, _keptDims, reduceCount, kind, output.Write<T>());
    }
}
