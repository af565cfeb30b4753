using System.Numerics.Tensors;
using OnnxFuse.Engine.Simd;

namespace OnnxFuse.Engine.Kernels.Elementwise;

/// <summary>
/// y = activation(x) over a span (any length; <c>input</c> and <c>output</c> may be the same span). Sigmoid and Tanh
/// use <see cref="TensorPrimitives"/> when the SIMD width is not capped; everything else runs through
/// <see cref="UnaryDriver"/>.
/// </summary>
public static class ActivationKernel
{
    public static void Run(ReadOnlySpan<float> input, Activation activation, Span<float> output)
    {
        var uncapped = SimdCapability.Width == SimdCapability.HardwareWidth && SimdCapability.Width != SimdWidth.Scalar;
        if (uncapped && activation.Kind == ActivationKind.Sigmoid)
            TensorPrimitives.Sigmoid(input, output);
        else if (uncapped && activation.Kind == ActivationKind.Tanh)
            TensorPrimitives.Tanh(input, output);
        else
            Run(input, activation, SimdCapability.Width, output);
    }

    /// <summary>As <see cref="Run(ReadOnlySpan{float}, Activation, Span{float})"/> through our drivers at a given width cap.</summary>
    public static void Run(ReadOnlySpan<float> input, Activation activation, SimdWidth width, Span<float> output)
    {
        switch (activation.Kind)
        {
            case ActivationKind.None:
                if (!input.Overlaps(output))
                    input.CopyTo(output);
                break;
            case ActivationKind.Relu: UnaryDriver.Run(input, default(ReluOp), width, output); break;
            case ActivationKind.Clip: UnaryDriver.Run(input, new ClipOp(activation.Alpha, activation.Beta), width, output); break;
            case ActivationKind.LeakyRelu: UnaryDriver.Run(input, new LeakyReluOp(activation.Alpha), width, output); break;
            case ActivationKind.Sigmoid: UnaryDriver.Run(input, default(SigmoidOp), width, output); break;
            case ActivationKind.Tanh: UnaryDriver.Run(input, default(TanhOp), width, output); break;
            case ActivationKind.Gelu: UnaryDriver.Run(input, default(GeluOp), width, output); break;
            default: throw new ArgumentOutOfRangeException(nameof(activation), activation.Kind, null);
        }
    }
}
