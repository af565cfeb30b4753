using OnnxFuse.Engine.Tensors;

namespace OnnxFuse.Engine.Kernels.Elementwise;

/// <summary>Where: output = condition ? x : y, three-way numpy broadcasting, any element type.</summary>
sealed class WhereKernel : Kernel
{
    public override void Run(KernelContext context)
    {
        var condition = context.Input(0);
        var x = context.Input(1);
        var y = context.Input(2);
        Span<int> partial = stackalloc int[ShapeMath.MaxRank];
        Span<int> dims = stackalloc int[ShapeMath.MaxRank];
        var partialRank = ShapeMath.Broadcast(condition.Dims, x.Dims, partial);
        var rank = ShapeMath.Broadcast(partial[..partialRank], y.Dims, dims);
        var output = context.Output(0, x.ElementType, dims[..rank]);
        var action = new Action(condition, x, y, output);
        ElementDispatch.Move(x.ElementType, ref action);
    }

    /// <summary>Selects element-wise; all operands have been broadcast to <paramref name="outputDims"/> through their strides.</summary>
    public static void Compute<T>(ReadOnlySpan<bool> condition, ReadOnlySpan<int> conditionDims, ReadOnlySpan<T> x, ReadOnlySpan<int> xDims,
        ReadOnlySpan<T> y, ReadOnlySpan<int> yDims, Span<T> output, ReadOnlySpan<int> outputDims)
    {
        if (condition.Length == output.Length && x.Length == output.Length && y.Length == output.Length)
        {
            for (var i = 0; i < output.Length; i++)
                output[i] = condition[i] ? x[i] : y[i];
            return;
        }
        var rank = outputDims.Length;
        Span<int> cStrides = stackalloc int[rank];
        Span<int> xStrides = stackalloc int[rank];
        Span<int> yStrides = stackalloc int[rank];
        ShapeMath.BroadcastStrides(conditionDims, outputDims, cStrides);
        ShapeMath.BroadcastStrides(xDims, outputDims, xStrides);
        ShapeMath.BroadcastStrides(yDims, outputDims, yStrides);
        Span<int> counter = stackalloc int[rank];
        counter.Clear();
        int c = 0, xi = 0, yi = 0;
        for (var i = 0; i < output.Length; i++)
        {
            output[i] = condition[c] ? x[xi] : y[yi];
            for (var axis = rank - 1; axis >= 0; axis--)
            {
                c += cStrides[axis];
                xi += xStrides[axis];
                yi += yStrides[axis];
                if (++counter[axis] < outputDims[axis])
                    break;
                c -= cStrides[axis] * outputDims[axis];
                xi -= xStrides[axis] * outputDims[axis];
                yi -= yStrides[axis] * outputDims[axis];
                counter[axis] = 0;
            }
        }
    }

    readonly struct Action(RuntimeTensor condition, RuntimeTensor x, RuntimeTensor y, RuntimeTensor output) : IMoveAction
    {
        public void Invoke<T>() where T : unmanaged =>
            Compute(condition.Read<bool>(), condition.Dims, x.Read<T>(), x.Dims, y.Read<T>(), y.Dims, output.Write<T>(), output.Dims);
    }
}
