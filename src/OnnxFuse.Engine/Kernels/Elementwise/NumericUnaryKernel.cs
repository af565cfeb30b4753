using System.Numerics;
using System.Numerics.Tensors;
using OnnxFuse.Engine.Tensors;

namespace OnnxFuse.Engine.Kernels.Elementwise;

/// <summary>Abs (y = |x|) and Neg (y = −x) for every numeric type, through TensorPrimitives.</summary>
sealed class NumericUnaryKernel(bool negate) : Kernel
{
    public override void Run(KernelContext context)
    {
        var input = context.Input(0);
        var output = context.Output(0, input.ElementType, input.Dims);
        var action = new Action(input, output, negate);
        ElementDispatch.Numeric(input.ElementType, ref action);
    }

    readonly struct Action(RuntimeTensor input, RuntimeTensor output, bool negate) : INumericAction
    {
        public void Invoke<T>() where T : unmanaged, INumber<T>
        {
            if (negate)
                TensorPrimitives.Negate(input.Read<T>(), output.Write<T>());
            else
                TensorPrimitives.Abs(input.Read<T>(), output.Write<T>());
        }
    }
}
