using System.Numerics;
using OnnxFuse.Engine.Tensors;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.Tensor;

/// <summary>NonZero: int64 [rank, count] holding the coordinates of the non-zero elements in row-major order.</summary>
sealed class NonZeroKernel : Kernel
{
    public override void Run(KernelContext context)
    {
        var input = context.Input(0);
        var action = new Action(context, input);
        ElementDispatch.Numeric(input.ElementType == ElementType.Bool ? ElementType.UInt8 : input.ElementType, ref action);
    }

    readonly struct Action(KernelContext context, RuntimeTensor input) : INumericAction
    {
        public void Invoke<T>() where T : unmanaged, INumber<T>
        {
            var values = input.Read<T>();
            var count = 0;
            foreach (var v in values)
                if (v != T.Zero)
                    count++;
            var rank = input.Rank;
            var output = context.Output(0, ElementType.Int64, [rank, count]).Write<long>();
            Span<int> counter = stackalloc int[rank];
            counter.Clear();
            var column = 0;
            for (var i = 0; i < values.Length; i++)
            {
                if (values[i] != T.Zero)
                {
                    for (var axis = 0; axis < rank; axis++)
                        output[axis * count + column] = counter[axis];
                    column++;
                }
                for (var axis = rank - 1; axis >= 0; axis--)
                {
                    if (++counter[axis] < input.Dim(axis))
                        break;
                    counter[axis] = 0;
                }
            }
        }
    }
}
