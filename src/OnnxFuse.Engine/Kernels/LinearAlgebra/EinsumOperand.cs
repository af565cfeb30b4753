using System.Buffers;
using System.Numerics;
using OnnxFuse.Engine.Kernels.Gemm;
using OnnxFuse.Engine.Kernels.Tensor;
using OnnxFuse.Engine.Tensors;

namespace OnnxFuse.Engine.Kernels.LinearAlgebra;

/// <summary>
/// One operand while <see cref="EinsumKernel"/> contracts: contents in an array rented from the shared pool (returned by
/// <see cref="Dispose"/>), dimensions, and the label of each axis. Each operation returns a new operand.
/// </summary>
sealed class EinsumOperand<T> : IDisposable where T : unmanaged, INumber<T>
{
    EinsumOperand(int[] dims, int[] labels)
    {
        Dims = dims;
        Labels = labels;
        Length = ShapeMath.Product(dims);
        Data = ArrayPool<T>.Shared.Rent(Math.Max(Length, 1));
    }

    public T[] Data { get; }
    public int[] Dims { get; }
    public int[] Labels { get; }
    public int Length { get; }

    public Span<T> Values => Data.AsSpan(0, Length);

    public static EinsumOperand<T> Copy(ReadOnlySpan<T> values, ReadOnlySpan<int> dims, int[] labels)
    {
        var operand = new EinsumOperand<T>(dims.ToArray(), labels);
        values.CopyTo(operand.Values);
        return operand;
    }

    public void Dispose() => ArrayPool<T>.Shared.Return(Data);

    public bool Has(int label) => Array.IndexOf(Labels, label) >= 0;

    /// <summary>The first label that names two axes (a diagonal to take), or −1.</summary>
    public int RepeatedLabel()
    {
        for (var i = 0; i < Labels.Length; i++)
            if (Array.IndexOf(Labels, Labels[i], i + 1) > 0)
                return Labels[i];
        return -1;
    }

    /// <summary>The diagonal over the two axes labelled <paramref name="label"/>: the later axis goes, the earlier keeps both strides.</summary>
    public EinsumOperand<T> Diagonal(int label)
    {
        var first = Array.IndexOf(Labels, label);
        var second = Array.IndexOf(Labels, label, first + 1);
        Span<int> strides = stackalloc int[Dims.Length];
        ShapeMath.Strides(Dims, strides);
        var dims = Dims.Where((_, i) => i != second).ToArray();
        var result = new EinsumOperand<T>(dims, [.. Labels.Where((_, i) => i != second)]);
        Span<int> viewStrides = stackalloc int[dims.Length];
        for (int i = 0, j = 0; i < Dims.Length; i++)
        {
            if (i != second)
                viewStrides[j++] = strides[i] + (i == first ? strides[second] : 0);
        }
        Span<int> coordinates = stackalloc int[dims.Length];
        var source = Values;
        var target = result.Values;
        for (var index = 0; index < target.Length; index++)
        {
            var offset = 0;
            for (var d = 0; d < dims.Length; d++)
                offset += coordinates[d] * viewStrides[d];
            target[index] = source[offset];
            for (var d = dims.Length - 1; d >= 0 && ++coordinates[d] == dims[d]; d--)
                coordinates[d] = 0;
        }
        return result;
    }

    /// <summary>This operand with its axes reordered so that axis i of the result is axis <paramref name="order"/>[i].</summary>
    public EinsumOperand<T> Permute(ReadOnlySpan<int> order)
    {
        var dims = new int[order.Length];
        var labels = new int[order.Length];
        for (var i = 0; i < order.Length; i++)
            (dims[i], labels[i]) = (Dims[order[i]], Labels[order[i]]);
        var result = new EinsumOperand<T>(dims, labels);
        TransposeKernel.Compute<T>(Values, Dims, order, result.Values);
        return result;
    }

    /// <summary>Sums out every axis whose label <paramref name="keep"/> rejects; the kept axes keep their order.</summary>
    public EinsumOperand<T> SumOut(Func<int, bool> keep)
    {
        var order = Enumerable.Range(0, Labels.Length).OrderBy(i => keep(Labels[i]) ? 0 : 1).ToArray();
        var keptCount = Labels.Count(keep);
        using var permuted = Permute(order);
        var result = new EinsumOperand<T>(permuted.Dims[..keptCount], permuted.Labels[..keptCount]);
        var blockLength = ShapeMath.Product(permuted.Dims.AsSpan(keptCount));
        var source = permuted.Values;
        var target = result.Values;
        for (var i = 0; i < target.Length; i++)
        {
            var sum = T.Zero;
            foreach (var value in source.Slice(i * blockLength, blockLength))
                sum += value;
            target[i] = sum;
        }
        return result;
    }

    /// <summary>
    /// The product of two operands summed over the labels they share that <paramref name="keep"/> rejects: both are
    /// permuted to [batch, rows, depth] and [batch, depth, columns] and multiplied as a batch of matrices (float32
    /// through the engine's GEMM). The result's axes: shared kept labels, then this operand's, then <paramref name="other"/>'s.
    /// </summary>
    public EinsumOperand<T> Contract(EinsumOperand<T> other, Func<int, bool> keep, int threadCount)
    {
        using var left = SumOut(l => keep(l) || other.Has(l));
        using var right = other.SumOut(l => keep(l) || Has(l));
        var batch = left.Labels.Where(l => right.Has(l) && keep(l)).ToArray();
        var depth = left.Labels.Where(l => right.Has(l) && !keep(l)).ToArray();
        var rows = left.Labels.Where(l => !right.Has(l)).ToArray();
        var columns = right.Labels.Where(l => !left.Has(l)).ToArray();
        using var a = left.Permute([.. batch.Concat(rows).Concat(depth).Select(l => Array.IndexOf(left.Labels, l))]);
        using var b = right.Permute([.. batch.Concat(depth).Concat(columns).Select(l => Array.IndexOf(right.Labels, l))]);
        int SizeOf(EinsumOperand<T> operand, int[] labels) => labels.Aggregate(1, (product, l) => product * operand.Dims[Array.IndexOf(operand.Labels, l)]);
        var (batchCount, rowCount, depthCount, columnCount) = (SizeOf(a, batch), SizeOf(a, rows), SizeOf(a, depth), SizeOf(b, columns));
        int[] resultLabels = [.. batch, .. rows, .. columns];
        var result = new EinsumOperand<T>([.. resultLabels.Select(l => a.Has(l) ? a.Dims[Array.IndexOf(a.Labels, l)] : b.Dims[Array.IndexOf(b.Labels, l)])],
            resultLabels);
        MultiplyBatch(a.Values, b.Values, batchCount, rowCount, depthCount, columnCount, threadCount, result.Values);
        return result;
    }

    static void MultiplyBatch(ReadOnlySpan<T> a, ReadOnlySpan<T> b, int batchCount, int rowCount, int depthCount, int columnCount, int threadCount,
        Span<T> c)
    {
        if (typeof(T) == typeof(float))
        {
            var p = new GemmParameters(rowCount, columnCount, depthCount) { ThreadCount = threadCount };
            GemmKernel.RunStridedBatch(System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(a),
                System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(b), null, [], p,
                new GemmBatch(batchCount, (long)rowCount * depthCount, (long)depthCount * columnCount, (long)rowCount * columnCount),
                System.Runtime.InteropServices.MemoryMarshal.Cast<T, float>(c));
            return;
        }
        for (var n = 0; n < batchCount; n++)
        {
            var left = a.Slice(n * rowCount * depthCount, rowCount * depthCount);
            var right = b.Slice(n * depthCount * columnCount, depthCount * columnCount);
            var product = c.Slice(n * rowCount * columnCount, rowCount * columnCount);
            product.Clear();
            for (var i = 0; i < rowCount; i++)
            {
                for (var k = 0; k < depthCount; k++)
                {
                    var value = left[i * depthCount + k];
                    for (var j = 0; j < columnCount; j++)
                        product[i * columnCount + j] += value * right[k * columnCount + j];
                }
            }
        }
    }
}
