namespace OnnxFuse.Engine.Kernels.Tensor;

/// <summary>Identity: the output shares the input's buffer (no copy).</summary>
sealed class IdentityKernel : Kernel
{
    public override void Run(KernelContext context)
    {
        var input = context.Input(0);
        context.AliasOutput(0, input, input.Dims);
    }
}
