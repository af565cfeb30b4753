using OnnxFuse.Engine.Tensors;

namespace OnnxFuse.Engine.Kernels.Tensor;

/// <summary>Tile: repeats the input repeats[i] times along each axis i.</summary>
sealed class TileKernel : Kernel
{
    public override void Run(KernelContext context)
    {
        var input = context.Input(0);
        Span<long> repeats = stackalloc long[ShapeMath.MaxRank];
        IntTensors.Read(context.Input(1), repeats);
        Span<int> dims = stackalloc int[input.Rank];
        for (var i = 0; i < input.Rank; i++)
            dims[i] = input.Dim(i) * (int)repeats[i];
        var output = context.Output(0, input.ElementType, dims);
        var action = new Action(input, output);
        ElementDispatch.Move(input.ElementType, ref action);
    }

    public static void Compute<T>(ReadOnlySpan<T> input, ReadOnlySpan<int> inputDims, Span<T> output, ReadOnlySpan<int> outputDims)
    {
        var rank = outputDims.Length;
        Span<int> strides = stackalloc int[rank];
        ShapeMath.Strides(inputDims, strides);
        Span<int> counter = stackalloc int[rank];
        counter.Clear();
        for (var target = 0; target < output.Length; target++)
        {
            var source = 0;
            for (var axis = 0; axis < rank; axis++)
                source += counter[axis] % inputDims[axis] * strides[axis];
            output[target] = input[source];
            for (var axis = rank - 1; axis >= 0; axis--)
            {
                if (++counter[axis] < outputDims[axis])
                    break;
                counter[axis] = 0;
            }
        }
    }

    readonly struct Action(RuntimeTensor input, RuntimeTensor output) : IMoveAction
    {
        public void Invoke<T>() where T : unmanaged => Compute(input.Read<T>(), input.Dims, output.Write<T>(), output.Dims);
    }
}
