using System.Numerics;
using OnnxFuse.Engine.Tensors;

namespace OnnxFuse.Engine.Kernels.Elementwise;

/// <summary>
/// Sum, Max, Min, Mean over any number of inputs with numpy broadcasting: the first input is broadcast into the
/// output, then each further input is folded in place. Mean divides by the input count at the end.
/// </summary>
sealed class VariadicKernel<TOp>(bool isMean) : Kernel where TOp : INumericBinaryOp
{
    public override void Run(KernelContext context)
    {
        Span<int> dims = stackalloc int[ShapeMath.MaxRank];
        Span<int> previous = stackalloc int[ShapeMath.MaxRank];
        var first = context.Input(0);
        first.Dims.CopyTo(dims);
        var rank = first.Rank;
        for (var i = 1; i < context.InputCount; i++)
        {
            dims[..rank].CopyTo(previous);
            rank = ShapeMath.Broadcast(previous[..rank], context.Input(i).Dims, dims);
        }
        var output = context.Output(0, first.ElementType, dims[..rank]);
        var action = new Action(context, output, isMean);
        ElementDispatch.Numeric(first.ElementType, ref action);
    }

    readonly struct Action(KernelContext context, RuntimeTensor output, bool isMean) : INumericAction
    {
        public void Invoke<T>() where T : unmanaged, INumber<T>
        {
            var destination = output.Write<T>();
            var first = context.Input(0);
            BroadcastCopy.Run(first.Read<T>(), first.Dims, destination, output.Dims);
            for (var i = 1; i < context.InputCount; i++)
            {
                var input = context.Input(i);
                BroadcastDriver.Run<T, T, NumericBinaryAdapter<T, TOp>>(destination, output.Dims, input.Read<T>(), input.Dims, destination, output.Dims);
            }
            if (isMean)
                System.Numerics.Tensors.TensorPrimitives.Divide(destination, T.CreateChecked(context.InputCount), destination);
        }
    }
}
