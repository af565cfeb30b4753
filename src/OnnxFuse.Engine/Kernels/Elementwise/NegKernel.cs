using System.Numerics;
using System.Numerics.Tensors;
using OnnxFuse.Engine.Tensors;

namespace OnnxFuse.Engine.Kernels.Elementwise;

/// <summary>Neg: y = −x, for every signed numeric type.</summary>
sealed class NegKernel : Kernel
{
    public override void Run(KernelContext context)
    {
        var input = context.Input(0);
        var output = context.Output(0, input.ElementType, input.Dims);
        var action = new Action(input, output);
        ElementDispatch.Numeric(input.ElementType, ref action);
    }

    readonly struct Action(RuntimeTensor input, RuntimeTensor output) : INumericAction
    {
        public void Invoke<T>() where T : unmanaged, INumber<T> => TensorPrimitives.Negate(input.Read<T>(), output.Write<T>());
    }
}
