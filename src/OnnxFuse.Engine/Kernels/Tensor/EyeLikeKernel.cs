using System.Numerics;
using OnnxFuse.Engine.Tensors;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.Tensor;

/// <summary>
/// EyeLike: a 2-D tensor of the input's shape with ones on the diagonal shifted by <c>k</c> (column = row + k) and zeros
/// elsewhere, of type <c>dtype</c> (the input's type when absent).
/// </summary>
sealed class EyeLikeKernel(ElementType? elementType, long k) : Kernel
{
    public override void Run(KernelContext context)
    {
        var input = context.Input(0);
        if (input.Rank != 2)
            Throw.ShapeMismatch($"EyeLike needs a 2-D input, got {input}");
        var output = context.Output(0, elementType ?? input.ElementType, input.Dims);
        var action = new Action(output, k);
        if (output.ElementType == ElementType.Bool)
            action.Invoke<byte>();
        else
            ElementDispatch.Numeric(output.ElementType, ref action);
    }

    readonly struct Action(RuntimeTensor output, long k) : INumericAction
    {
        public void Invoke<T>() where T : unmanaged, INumber<T>
        {
            var y = output.Write<T>();
            y.Clear();
            var (rows, columns) = (output.Dim(0), output.Dim(1));
            for (var i = 0; i < rows; i++)
            {
                var j = i + k;
                if (j >= 0 && j < columns)
                    y[i * columns + (int)j] = T.One;
            }
        }
    }
}
