using System.Numerics;
using OnnxFuse.Engine.Tensors;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.Tensor;

/// <summary>
/// Cast between numeric types and bool: floats to integers truncate toward zero (saturating), anything to bool is
/// x ≠ 0, bool reads as 0/1. Casting to the same type shares the buffer.
/// </summary>
sealed class CastKernel(ElementType target) : Kernel
{
    public override void Run(KernelContext context)
    {
        var input = context.Input(0);
        if (input.ElementType == target)
        {
            context.AliasOutput(0, input, input.Dims);
            return;
        }
        var output = context.Output(0, target, input.Dims);
        var source = new SourceAction(input, output);
        ElementDispatch.Numeric(input.ElementType == ElementType.Bool ? ElementType.UInt8 : input.ElementType, ref source);
    }

    readonly struct SourceAction(RuntimeTensor input, RuntimeTensor output) : INumericAction
    {
        public void Invoke<TFrom>() where TFrom : unmanaged, INumber<TFrom>
        {
            if (output.ElementType == ElementType.Bool)
            {
                var values = input.Read<TFrom>();
                var result = output.Write<byte>();
                for (var i = 0; i < values.Length; i++)
                    result[i] = values[i] != TFrom.Zero ? (byte)1 : (byte)0;
                return;
            }
            var target = new TargetAction<TFrom>(input, output);
            ElementDispatch.Numeric(output.ElementType, ref target);
        }
    }

    readonly struct TargetAction<TFrom>(RuntimeTensor input, RuntimeTensor output) : INumericAction where TFrom : unmanaged, INumber<TFrom>
    {
        public void Invoke<TTo>() where TTo : unmanaged, INumber<TTo>
        {
            var values = input.Read<TFrom>();
            var result = output.Write<TTo>();
            for (var i = 0; i < values.Length; i++)
                result[i] = TTo.CreateSaturating(values[i]);
        }
    }
}
