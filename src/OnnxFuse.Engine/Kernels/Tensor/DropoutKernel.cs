using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.Tensor;

/// <summary>Dropout at inference: the output is the input (shared buffer) and the optional mask is all true.</summary>
sealed class DropoutKernel : Kernel
{
    public override void Run(KernelContext context)
    {
        var input = context.Input(0);
        context.AliasOutput(0, input, input.Dims);
        if (context.HasOutput(1))
            context.Output(1, ElementType.Bool, input.Dims).Write<byte>().Fill(1);
    }
}
