using OnnxFuse.Engine.Tensors;
using OnnxFuse.Ir.Errors;

namespace OnnxFuse.Engine.Kernels.Tensor;

/// <summary>
/// Split: cuts the input along <c>axis</c> into the outputs. Sizes come from the <c>split</c> attribute (before
/// opset 13), input 1 (13+), or are equal (the last part smaller when uneven, as opset 18's num_outputs).
/// </summary>
sealed class SplitKernel(long axis, long[]? splitAttribute) : Kernel
{
    public override void Run(KernelContext context)
    {
        var input = context.Input(0);
        var normalizedAxis = ShapeMath.NormalizeAxis(axis, input.Rank);
        var axisSize = input.Dim(normalizedAxis);
        var outputCount = context.OutputCount;
        Span<long> sizes = stackalloc long[outputCount];
        if (splitAttribute is not null)
            splitAttribute.CopyTo(sizes);
        else if (context.OptionalInput(1) is { ElementCount: > 0 } splitInput)
            IntTensors.Read(splitInput, sizes);
        else
        {
            var part = (axisSize + outputCount - 1) / outputCount;
            for (var i = 0; i < outputCount; i++)
                sizes[i] = Math.Clamp(axisSize - i * part, 0, part);
        }
        var total = 0L;
        foreach (var size in sizes)
            total += size;
        if (total != axisSize)
            Throw.ShapeMismatch($"Split sizes add up to {total}, but axis {normalizedAxis} has {axisSize}");
        var elementSize = input.ElementSize;
        var outerCount = ShapeMath.Product(input.Dims, 0, normalizedAxis);
        var innerBytes = ShapeMath.Product(input.Dims, normalizedAxis + 1, input.Rank) * elementSize;
        var inputRow = axisSize * innerBytes;
        var source = input.Bytes;
        Span<int> dims = stackalloc int[input.Rank];
        input.Dims.CopyTo(dims);
        var offset = 0;
        for (var i = 0; i < outputCount; i++)
        {
            dims[normalizedAxis] = (int)sizes[i];
            var rowBytes = (int)sizes[i] * innerBytes;
            if (context.HasOutput(i))
            {
                var target = context.Output(i, input.ElementType, dims).Write<byte>();
                for (var outer = 0; outer < outerCount; outer++)
                    source.Slice(outer * inputRow + offset, rowBytes).CopyTo(target.Slice(outer * rowBytes, rowBytes));
            }
            offset += rowBytes;
        }
    }
}
