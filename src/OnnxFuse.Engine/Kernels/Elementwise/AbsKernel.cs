using System.Numerics;
using OnnxFuse.Engine.Tensors;

namespace OnnxFuse.Engine.Kernels.Elementwise;

/// <summary>Abs: y = |x|, for every numeric type.</summary>
sealed class AbsKernel : Kernel
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
        public void Invoke<T>() where T : unmanaged, INumber<T>
        {
            var x = input.Read<T>();
            var y = output.Write<T>();
            for (var i = 0; i < x.Length; i++)
                y[i] = T.Abs(x[i]);
        }
    }
}
