using OnnxFuse.Engine.Kernels.Elementwise;
using OnnxFuse.Engine.Tensors;

namespace OnnxFuse.Engine.Kernels.Tensor;

/// <summary>Expand: broadcasts the input to the numpy broadcast of its shape and the shape input.</summary>
sealed class ExpandKernel : Kernel
{
    public override void Run(KernelContext context)
    {
        var input = context.Input(0);
        Span<long> shape = stackalloc long[ShapeMath.MaxRank];
        var shapeRank = IntTensors.Read(context.Input(1), shape);
        Span<int> requested = stackalloc int[shapeRank];
        for (var i = 0; i < shapeRank; i++)
            requested[i] = (int)shape[i];
        Span<int> dims = stackalloc int[ShapeMath.MaxRank];
        var rank = ShapeMath.Broadcast(input.Dims, requested, dims);
        var output = context.Output(0, input.ElementType, dims[..rank]);
        var action = new Action(input, output);
        ElementDispatch.Move(input.ElementType, ref action);
    }

    readonly struct Action(RuntimeTensor input, RuntimeTensor output) : IMoveAction
    {
        public void Invoke<T>() where T : unmanaged => BroadcastCopy.Run(input.Read<T>(), input.Dims, output.Write<T>(), output.Dims);
    }
}
