using OnnxFuse.Engine.Tensors;

namespace OnnxFuse.Engine.Kernels.Shape;

/// <summary>Unsqueeze: inserts unit axes at the listed output positions (attribute before opset 13, input 1 after); shares the buffer.</summary>
sealed class UnsqueezeKernel(long[]? axesAttribute) : Kernel
{
    public override void Run(KernelContext context)
    {
        var input = context.Input(0);
        Span<long> axes = stackalloc long[ShapeMath.MaxRank];
        int axisCount;
        if (axesAttribute is not null)
        {
            axesAttribute.CopyTo(axes);
            axisCount = axesAttribute.Length;
        }
        else
            axisCount = IntTensors.Read(context.Input(1), axes);
        var rank = input.Rank + axisCount;
        Span<bool> inserted = stackalloc bool[rank];
        inserted.Clear();
        for (var i = 0; i < axisCount; i++)
            inserted[ShapeMath.NormalizeAxis(axes[i], rank)] = true;
        Span<int> dims = stackalloc int[rank];
        var source = 0;
        for (var i = 0; i < rank; i++)
            dims[i] = inserted[i] ? 1 : input.Dim(source++);
        context.AliasOutput(0, input, dims);
    }
}
