using System.Buffers;
using System.Numerics;
using OnnxFuse.Engine.Tensors;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.Tensor;

/// <summary>
/// TopK: the k largest (or smallest) elements along <c>axis</c> and their int64 indices, sorted; ties keep the
/// lower index first. k is input 1 (opset 10+) or the <c>k</c> attribute (opset 1).
/// </summary>
sealed class TopKKernel(long axis, bool largest, long kAttribute) : Kernel
{
    public override void Run(KernelContext context)
    {
        var input = context.Input(0);
        Span<long> kValue = stackalloc long[1];
        var k = context.OptionalInput(1) is { } kInput ? (IntTensors.Read(kInput, kValue) > 0 ? kValue[0] : 0) : kAttribute;
        var normalizedAxis = ShapeMath.NormalizeAxis(axis, input.Rank);
        var axisSize = input.Dim(normalizedAxis);
        if (k < 0 || k > axisSize)
            Throw.ShapeMismatch($"TopK k = {k} is outside [0, {axisSize}]");
        Span<int> dims = stackalloc int[input.Rank];
        input.Dims.CopyTo(dims);
        dims[normalizedAxis] = (int)k;
        var values = context.Output(0, input.ElementType, dims);
        var indices = context.Output(1, ElementType.Int64, dims);
        var action = new Action(input, ShapeMath.Product(input.Dims, 0, normalizedAxis), axisSize,
            ShapeMath.Product(input.Dims, normalizedAxis + 1, input.Rank), (int)k, largest, values, indices);
        ElementDispatch.Numeric(input.ElementType, ref action);
    }

    public static void Compute<T>(ReadOnlySpan<T> input, int outerCount, int axisSize, int innerCount, int k, bool largest,
        Span<T> values, Span<long> indices) where T : unmanaged, INumber<T>
    {
        var order = ArrayPool<int>.Shared.Rent(axisSize);
        var line = ArrayPool<T>.Shared.Rent(axisSize);
        for (var outer = 0; outer < outerCount; outer++)
        {
            for (var inner = 0; inner < innerCount; inner++)
            {
                var start = outer * axisSize * innerCount + inner;
                for (var i = 0; i < axisSize; i++)
                {
                    order[i] = i;
                    line[i] = input[start + i * innerCount];
                }
                var keys = line;
                Array.Sort(order, 0, axisSize, Comparer<int>.Create((a, b) =>
                {
                    var c = keys[a].CompareTo(keys[b]);
                    return c != 0 ? (largest ? -c : c) : a.CompareTo(b);
                }));
                for (var i = 0; i < k; i++)
                {
                    var target = (outer * k + i) * innerCount + inner;
                    values[target] = line[order[i]];
                    indices[target] = order[i];
                }
            }
        }
        ArrayPool<int>.Shared.Return(order);
        ArrayPool<T>.Shared.Return(line);
    }

    readonly struct Action(RuntimeTensor input, int outerCount, int axisSize, int innerCount, int k, bool largest,
        RuntimeTensor values, RuntimeTensor indices) : INumericAction
    {
        public void Invoke<T>() where T : unmanaged, INumber<T> =>
            Compute(input.Read<T>(), outerCount, axisSize, innerCount, k, largest, values.Write<T>(), indices.Write<long>());
    }
}
