using System.Buffers;
using OnnxFuse.Engine.Tensors;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.Normalization;

/// <summary>
/// MeanVarianceNormalization (float32): y = (x − mean) / (√variance + 1e-9), mean and variance taken over
/// <c>axes</c> (default [0, 2, 3]) for each position on the other axes, as the operator's function body computes them
/// (population variance; accumulated in double).
/// </summary>
sealed class MeanVarianceNormalizationKernel(long[] axes) : Kernel
{
    const double Epsilon = 1e-9;

    public override void Run(KernelContext context)
    {
        var input = context.Input(0);
        if (input.ElementType != ElementType.Float)
            Throw.ShapeMismatch($"MeanVarianceNormalization expects float32, got {input}");
        var output = context.Output(0, ElementType.Float, input.Dims);
        var rank = input.Rank;
        Span<bool> reduced = stackalloc bool[rank];
        foreach (var axis in axes)
            reduced[ShapeMath.NormalizeAxis(axis, rank)] = true;
        // Each element's group is its flat index over the axes that are not reduced.
        Span<int> groupStrides = stackalloc int[rank];
        var groupCount = 1;
        for (var d = rank - 1; d >= 0; d--)
        {
            groupStrides[d] = reduced[d] ? 0 : groupCount;
            groupCount *= reduced[d] ? 1 : input.Dim(d);
        }
        var groupSize = groupCount == 0 ? 0 : input.ElementCount / groupCount;
        var sums = ArrayPool<double>.Shared.Rent(2 * Math.Max(groupCount, 1));
        var means = sums.AsSpan(0, groupCount);
        var deviations = sums.AsSpan(groupCount, groupCount);
        means.Clear();
        deviations.Clear();
        var x = input.Read<float>();
        var y = output.Write<float>();
        Span<int> coordinates = stackalloc int[rank];
        var groups = ArrayPool<int>.Shared.Rent(Math.Max(x.Length, 1));
        for (var i = 0; i < x.Length; i++)
        {
            var group = 0;
            for (var d = 0; d < rank; d++)
                group += coordinates[d] * groupStrides[d];
            groups[i] = group;
            means[group] += x[i];
            for (var d = rank - 1; d >= 0 && ++coordinates[d] == input.Dim(d); d--)
                coordinates[d] = 0;
        }
        for (var g = 0; g < groupCount; g++)
            means[g] /= groupSize;
        for (var i = 0; i < x.Length; i++)
        {
            var deviation = x[i] - means[groups[i]];
            deviations[groups[i]] += deviation * deviation;
        }
        for (var g = 0; g < groupCount; g++)
            deviations[g] = Math.Sqrt(deviations[g] / groupSize) + Epsilon;
        for (var i = 0; i < x.Length; i++)
            y[i] = (float)((x[i] - means[groups[i]]) / deviations[groups[i]]);
        ArrayPool<int>.Shared.Return(groups);
        ArrayPool<double>.Shared.Return(sums);
    }
}
