using System.Numerics;
using OnnxFuse.Engine.Tensors;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.Tensor;

/// <summary>
/// Unique: the distinct elements of the flattened input, or the distinct slices along <c>axis</c>, in ascending
/// (lexicographic) order when <c>sorted</c> (default) or in order of first occurrence. Outputs: Y, then int64 indices
/// (first occurrence of each), inverse_indices (each input element's or slice's position in Y) and counts.
/// </summary>
sealed class UniqueKernel(long? axis, bool sorted) : Kernel
{
    public override void Run(KernelContext context)
    {
        var input = context.Input(0);
        var action = new Action(context, input, axis, sorted);
        ElementDispatch.Numeric(input.ElementType, ref action);
    }

    readonly struct Action(KernelContext context, RuntimeTensor input, long? axis, bool sorted) : INumericAction
    {
        public void Invoke<T>() where T : unmanaged, INumber<T>
        {
            var normalizedAxis = axis is { } a ? ShapeMath.NormalizeAxis(a, input.Rank) : 0;
            var (outer, slices, inner) = axis is null
                ? (1, input.ElementCount, 1)
                : (ShapeMath.Product(input.Dims, 0, normalizedAxis), input.Dim(normalizedAxis), ShapeMath.Product(input.Dims, normalizedAxis + 1, input.Rank));
            var values = input.Read<T>().ToArray();
            int Compare(int first, int second)
            {
                for (var o = 0; o < outer; o++)
                {
                    for (var i = 0; i < inner; i++)
                    {
                        var order = values[(o * slices + first) * inner + i].CompareTo(values[(o * slices + second) * inner + i]);
                        if (order != 0)
                            return order;
                    }
                }
                return 0;
            }
            // Stable sort by value then position: each group of equal slices starts with its first occurrence.
            var order = Enumerable.Range(0, slices).ToArray();
            Array.Sort(order, (x, y) => Compare(x, y) is var byValue and not 0 ? byValue : x.CompareTo(y));
            var groups = new List<(int First, int Count)>();
            var groupOf = new int[slices];
            for (var k = 0; k < order.Length; k++)
            {
                if (k == 0 || Compare(order[k - 1], order[k]) != 0)
                    groups.Add((order[k], 0));
                groups[^1] = (groups[^1].First, groups[^1].Count + 1);
                groupOf[order[k]] = groups.Count - 1;
            }
            var rank = Enumerable.Range(0, groups.Count).ToArray();
            if (!sorted)
                Array.Sort(rank, (x, y) => groups[x].First.CompareTo(groups[y].First));
            var position = new int[groups.Count];
            for (var r = 0; r < rank.Length; r++)
                position[rank[r]] = r;

            Span<int> dims = stackalloc int[Math.Max(input.Rank, 1)];
            if (axis is null)
            {
                dims = dims[..1];
                dims[0] = groups.Count;
            }
            else
            {
                input.Dims.CopyTo(dims);
                dims[normalizedAxis] = groups.Count;
            }
            var y = context.Output(0, input.ElementType, dims).Write<T>();
            for (var r = 0; r < rank.Length; r++)
            {
                for (var o = 0; o < outer; o++)
                    values.AsSpan((o * slices + groups[rank[r]].First) * inner, inner).CopyTo(y.Slice((o * groups.Count + r) * inner, inner));
            }
            Span<int> countDims = [groups.Count];
            Span<int> inverseDims = [slices];
            var indices = context.Output(1, ElementType.Int64, countDims).Write<long>();
            var inverse = context.Output(2, ElementType.Int64, inverseDims).Write<long>();
            var counts = context.Output(3, ElementType.Int64, countDims).Write<long>();
            for (var r = 0; r < rank.Length; r++)
                (indices[r], counts[r]) = (groups[rank[r]].First, groups[rank[r]].Count);
            for (var k = 0; k < slices; k++)
                inverse[k] = position[groupOf[k]];
        }
    }
}
