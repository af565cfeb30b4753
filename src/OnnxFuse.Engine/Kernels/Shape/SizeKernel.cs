using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.Shape;

/// <summary>Size: the input's element count as an int64 scalar.</summary>
sealed class SizeKernel : Kernel
{
    public override void Run(KernelContext context)
    {
        var input = context.Input(0);
        context.Output(0, ElementType.Int64, []).Write<long>()[0] = input.ElementCount;
    }
}
