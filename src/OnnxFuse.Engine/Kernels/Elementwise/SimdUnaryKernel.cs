using System.Numerics;
using OnnxFuse.Engine.Simd;
using OnnxFuse.Engine.Tensors;

namespace OnnxFuse.Engine.Kernels.Elementwise;

/// <summary>
/// An element-wise node (Relu, Sigmoid, Tanh, Erf, Exp, Gelu, LeakyRelu, HardSigmoid) whose float32 path runs a
/// <see cref="Simd.IUnaryOp"/> through <see cref="UnaryDriver"/>; float64 and float16 inputs go through the
/// operator's scalar path element by element (float32 precision, within ONNX's backend tolerances).
/// </summary>
sealed class SimdUnaryKernel<TOp>(TOp op) : Kernel where TOp : struct, Simd.IUnaryOp
{
    public SimdUnaryKernel()
        : this(default)
    {
    }

    public override void Run(KernelContext context)
    {
        var input = context.Input(0);
        var output = context.Output(0, input.ElementType, input.Dims);
        var action = new Action(input, op, output);
        ElementDispatch.Float(input.ElementType, ref action);
    }

    readonly struct Action(RuntimeTensor input, TOp op, RuntimeTensor output) : IFloatAction
    {
        public void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            if (typeof(T) == typeof(float))
            {
                UnaryDriver.Run(input.Read<float>(), op, output.Write<float>());
                return;
            }
            var x = input.Read<T>();
            var y = output.Write<T>();
            for (var i = 0; i < x.Length; i++)
                y[i] = T.CreateTruncating(op.Invoke(float.CreateTruncating(x[i])));
        }
    }
}
