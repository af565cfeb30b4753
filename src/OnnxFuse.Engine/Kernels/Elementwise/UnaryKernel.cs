using System.Numerics;
using OnnxFuse.Engine.Tensors;

namespace OnnxFuse.Engine.Kernels.Elementwise;

/// <summary>Any parameterless floating-point element-wise function (Relu, Exp, Sqrt, Erf…): same shape in and out.</summary>
sealed class UnaryKernel<TOp> : Kernel where TOp : IUnaryOp
{
    public override void Run(KernelContext context)
    {
        var input = context.Input(0);
        var output = context.Output(0, input.ElementType, input.Dims);
        var action = new Action(input, output);
        ElementDispatch.Float(input.ElementType, ref action);
    }

    readonly struct Action(RuntimeTensor input, RuntimeTensor output) : IFloatAction
    {
        public void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T> => TOp.Invoke(input.Read<T>(), output.Write<T>());
    }
}
