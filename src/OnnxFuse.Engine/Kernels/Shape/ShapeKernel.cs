using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.Shape;

/// <summary>Shape: the input's dimensions as int64 [end − start], with start/end clamped like Slice (opset 15).</summary>
sealed class ShapeKernel(long start, long? end) : Kernel
{
    public override void Run(KernelContext context)
    {
        var input = context.Input(0);
        var rank = input.Rank;
        var first = (int)Math.Clamp(start < 0 ? start + rank : start, 0, rank);
        var last = (int)Math.Clamp(end is { } e ? (e < 0 ? e + rank : e) : rank, 0, rank);
        var count = Math.Max(0, last - first);
        var output = context.Output(0, ElementType.Int64, [count]).Write<long>();
        for (var i = 0; i < count; i++)
            output[i] = input.Dim(first + i);
    }
}
