using OnnxFuse.Engine.Tensors;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.Tensor;

/// <summary>
/// Compress: keeps the slices along <c>axis</c> whose entry in the 1-D bool <c>condition</c> is true (a condition
/// shorter than the axis drops the rest); without an axis the input is flattened first. Any element type (bytes).
/// </summary>
sealed class CompressKernel(long? axis) : Kernel
{
    public override void Run(KernelContext context)
    {
        var input = context.Input(0);
        var condition = context.Input(1);
        if (condition.ElementType != ElementType.Bool || condition.Rank != 1)
            Throw.ShapeMismatch($"Compress condition must be a 1-D bool tensor, got {condition}");
        var normalizedAxis = axis is { } a ? ShapeMath.NormalizeAxis(a, input.Rank) : 0;
        var axisSize = axis is null ? input.ElementCount : input.Dim(normalizedAxis);
        if (condition.ElementCount > axisSize)
            Throw.ShapeMismatch($"Compress condition {condition} is longer than the axis of size {axisSize}");
        var flags = condition.Read<byte>();
        var kept = 0;
        foreach (var flag in flags)
            kept += flag != 0 ? 1 : 0;
        Span<int> dims = stackalloc int[Math.Max(input.Rank, 1)];
        if (axis is null)
        {
            dims = dims[..1];
            dims[0] = kept;
        }
        else
        {
            input.Dims.CopyTo(dims);
            dims[normalizedAxis] = kept;
        }
        var output = context.Output(0, input.ElementType, dims);
        var outerCount = axis is null ? 1 : ShapeMath.Product(input.Dims, 0, normalizedAxis);
        var sliceBytes = (axis is null ? 1 : ShapeMath.Product(input.Dims, normalizedAxis + 1, input.Rank)) * input.ElementSize;
        var source = input.Bytes;
        var target = output.Write<byte>();
        var written = 0;
        for (var outer = 0; outer < outerCount; outer++)
        {
            for (var i = 0; i < flags.Length; i++)
            {
                if (flags[i] == 0)
                    continue;
                source.Slice((outer * axisSize + i) * sliceBytes, sliceBytes).CopyTo(target.Slice(written, sliceBytes));
                written += sliceBytes;
            }
        }
    }
}
