using OnnxFuse.Engine.Tensors;

namespace OnnxFuse.Engine.Kernels.Shape;

/// <summary>Flatten: [d0…dn] → [∏d[..axis], ∏d[axis..]], sharing the input's buffer.</summary>
sealed class FlattenKernel(long axis) : Kernel
{
    public override void Run(KernelContext context)
    {
        var input = context.Input(0);
        var split = (int)(axis < 0 ? axis + input.Rank : axis);
        Span<int> dims = [ShapeMath.Product(input.Dims, 0, split), ShapeMath.Product(input.Dims, split, input.Rank)];
        context.AliasOutput(0, input, dims);
    }
}
