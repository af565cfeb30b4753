using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.Elementwise;

/// <summary>Not: y = ¬x on bools.</summary>
sealed class NotKernel : Kernel
{
    public override void Run(KernelContext context)
    {
        var input = context.Input(0);
        var output = context.Output(0, ElementType.Bool, input.Dims);
        Compute(input.Read<byte>(), output.Write<byte>());
    }

    public static void Compute(ReadOnlySpan<byte> input, Span<byte> output)
    {
        for (var i = 0; i < input.Length; i++)
            output[i] = (byte)(input[i] ^ 1);
    }
}
