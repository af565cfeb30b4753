using OnnxFuse.Engine.Kernels.Elementwise;
using OnnxFuse.Engine.Simd;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.Activations;

/// <summary>
/// com.microsoft BiasGelu and FastGelu (float32): y = gelu(x + bias), bias [hidden] added to every row of x [.., hidden].
/// <typeparamref name="TGelu"/> is the exact (erf) form for BiasGelu, whose bias is required, and the tanh
/// approximation for FastGelu, whose bias (input 1) is optional.
/// </summary>
sealed class BiasGeluKernel<TGelu> : Kernel where TGelu : struct, Simd.IUnaryOp
{
    public override void Run(KernelContext context)
    {
        var input = context.Input(0);
        if (input.ElementType != ElementType.Float)
            Throw.ShapeMismatch($"BiasGelu and FastGelu support float32 only, got {input.ElementType.DisplayName()}");
        var output = context.Output(0, ElementType.Float, input.Dims);
        var bias = context.OptionalInput(1) is { } b ? b.Read<float>() : default;
        Compute(input.Read<float>(), bias, output.Write<float>());
    }

    /// <summary>output = gelu(input + bias); an empty <paramref name="bias"/> adds nothing.</summary>
    public static void Compute(ReadOnlySpan<float> input, ReadOnlySpan<float> bias, Span<float> output)
    {
        if (!bias.IsEmpty)
        {
            if (input.Length % bias.Length != 0)
                Throw.ShapeMismatch($"bias of {bias.Length} values does not repeat over an input of {input.Length}");
            for (var offset = 0; offset < input.Length; offset += bias.Length)
                ArithmeticKernel.Add(input.Slice(offset, bias.Length), bias, output.Slice(offset, bias.Length));
            input = output;
        }
        UnaryDriver.Run<TGelu>(input, output);
    }
}
