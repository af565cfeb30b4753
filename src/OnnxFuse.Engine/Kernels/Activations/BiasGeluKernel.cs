using OnnxFuse.Engine.Kernels.Elementwise;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.Activations;

/// <summary>com.microsoft BiasGelu (float32): y = gelu(x + bias) with exact (erf) GELU, bias [hidden] added to every row.</summary>
sealed class BiasGeluKernel : Kernel
{
    public override void Run(KernelContext context)
    {
        var input = context.Input(0);
        var bias = context.Input(1).Read<float>();
        var output = context.Output(0, ElementType.Float, input.Dims);
        Compute(input.Read<float>(), bias, output.Write<float>());
    }

    public static void Compute(ReadOnlySpan<float> input, ReadOnlySpan<float> bias, Span<float> output)
    {
        for (var offset = 0; offset < input.Length; offset += bias.Length)
            ArithmeticKernel.Add(input.Slice(offset, bias.Length), bias, output.Slice(offset, bias.Length));
        ActivationKernel.Run(output, Activation.Gelu, output);
    }
}
