using System.Numerics;
using OnnxFuse.Engine.Tensors;

namespace OnnxFuse.Engine.Kernels.Shape;

/// <summary>Range: [start, start + delta, …) up to limit, count = max(⌈(limit − start) / delta⌉, 0).</summary>
sealed class RangeKernel : Kernel
{
    public override void Run(KernelContext context)
    {
        var startTensor = context.Input(0);
        var start = IntTensors.ScalarAsDouble(startTensor);
        var limit = IntTensors.ScalarAsDouble(context.Input(1));
        var delta = IntTensors.ScalarAsDouble(context.Input(2));
        var count = (int)Math.Max(Math.Ceiling((limit - start) / delta), 0);
        var output = context.Output(0, startTensor.ElementType, [count]);
        var action = new Action(context.Input(0), context.Input(2), output);
        ElementDispatch.Numeric(startTensor.ElementType, ref action);
    }

    readonly struct Action(RuntimeTensor start, RuntimeTensor delta, RuntimeTensor output) : INumericAction
    {
        public void Invoke<T>() where T : unmanaged, INumber<T>
        {
            var first = start.Read<T>()[0];
            var step = delta.Read<T>()[0];
            var values = output.Write<T>();
            for (var i = 0; i < values.Length; i++)
                values[i] = first + T.CreateTruncating(i) * step;
        }
    }
}
