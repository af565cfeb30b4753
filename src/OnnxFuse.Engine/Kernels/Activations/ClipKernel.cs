using System.Numerics;
using OnnxFuse.Engine.Simd;
using OnnxFuse.Engine.Tensors;

namespace OnnxFuse.Engine.Kernels.Activations;

/// <summary>
/// Clip: y = min(max(x, min), max). Opset &lt; 11 takes the bounds as attributes (<paramref name="minimum"/>,
/// <paramref name="maximum"/>); later opsets as optional scalar inputs 1 and 2, which override them.
/// </summary>
sealed class ClipKernel(double minimum, double maximum) : Kernel
{
    public override void Run(KernelContext context)
    {
        var input = context.Input(0);
        var low = context.OptionalInput(1) is { ElementCount: > 0 } lowInput ? IntTensors.ScalarAsDouble(lowInput) : minimum;
        var high = context.OptionalInput(2) is { ElementCount: > 0 } highInput ? IntTensors.ScalarAsDouble(highInput) : maximum;
        var output = context.Output(0, input.ElementType, input.Dims);
        var action = new Action(input, low, high, output);
        ElementDispatch.Numeric(input.ElementType, ref action);
    }

    public static void Compute<T>(ReadOnlySpan<T> input, T low, T high, Span<T> output) where T : unmanaged, INumber<T>
    {
        System.Numerics.Tensors.TensorPrimitives.Max(input, low, output);
        System.Numerics.Tensors.TensorPrimitives.Min(output, high, output);
    }

    readonly struct Action(RuntimeTensor input, double low, double high, RuntimeTensor output) : INumericAction
    {
        public void Invoke<T>() where T : unmanaged, INumber<T>
        {
            // float32 (the common case, after every MobileNet conv) takes one pass through the SIMD operator.
            if (typeof(T) == typeof(float))
                UnaryDriver.Run(input.Read<float>(), new ClipOp((float)low, (float)high), output.Write<float>());
            else
                Compute(input.Read<T>(), T.CreateSaturating(low), T.CreateSaturating(high), output.Write<T>());
        }
    }
}
