using System.Numerics;
using OnnxFuse.Engine.Tensors;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.Reduction;

/// <summary>
/// ArgMax / ArgMin: int64 index of the largest (smallest) element along <c>axis</c>, the first such index unless
/// select_last_index; keepdims keeps the axis as size 1.
/// </summary>
sealed class ArgMaxKernel(long axis, bool keepDims, bool selectLastIndex, bool isMin) : Kernel
{
    public override void Run(KernelContext context)
    {
        var input = context.Input(0);
        var normalizedAxis = ShapeMath.NormalizeAxis(axis, input.Rank);
        Span<int> dims = stackalloc int[input.Rank];
        var rank = 0;
        for (var d = 0; d < input.Rank; d++)
        {
            if (d != normalizedAxis)
                dims[rank++] = input.Dim(d);
            else if (keepDims)
                dims[rank++] = 1;
        }
        var output = context.Output(0, ElementType.Int64, dims[..rank]);
        var action = new Action(input, ShapeMath.Product(input.Dims, 0, normalizedAxis), input.Dim(normalizedAxis),
            ShapeMath.Product(input.Dims, normalizedAxis + 1, input.Rank), selectLastIndex, isMin, output);
        ElementDispatch.Numeric(input.ElementType, ref action);
    }

    public static void Compute<T>(ReadOnlySpan<T> input, int outerCount, int axisSize, int innerCount, bool selectLastIndex, bool isMin,
        Span<long> output) where T : unmanaged, INumber<T>
    {
        for (var outer = 0; outer < outerCount; outer++)
        {
            for (var inner = 0; inner < innerCount; inner++)
            {
                var start = outer * axisSize * innerCount + inner;
                var best = input[start];
                var bestIndex = 0;
                for (var i = 1; i < axisSize; i++)
                {
                    var value = input[start + i * innerCount];
                    var better = isMin ? value < best : value > best;
                    if (better || (selectLastIndex && value == best))
                    {
                        best = value;
                        bestIndex = i;
                    }
                }
                output[outer * innerCount + inner] = bestIndex;
            }
        }
    }

    readonly struct Action(RuntimeTensor input, int outerCount, int axisSize, int innerCount, bool selectLastIndex, bool isMin,
        RuntimeTensor output) : INumericAction
    {
        public void Invoke<T>() where T : unmanaged, INumber<T> =>
            Compute(input.Read<T>(), outerCount, axisSize, innerCount, selectLastIndex, isMin, output.Write<long>());
    }
}
