using OnnxFuse.Engine.Tensors;

namespace OnnxFuse.Engine.Kernels.Tensor;

/// <summary>
/// Slice: starts, ends, axes and steps from inputs 1–4 (opset 10+) or the starts/ends/axes attributes (before 10).
/// Indices are clamped as numpy does (negative counts from the end; steps may be negative). Copies element by
/// element, or in blocks where the innermost axis is taken whole.
/// </summary>
sealed class SliceKernel(long[]? startsAttribute, long[]? endsAttribute, long[]? axesAttribute) : Kernel
{
    public override void Run(KernelContext context)
    {
        var input = context.Input(0);
        var rank = input.Rank;
        Span<long> starts = stackalloc long[ShapeMath.MaxRank];
        Span<long> ends = stackalloc long[ShapeMath.MaxRank];
        Span<long> axes = stackalloc long[ShapeMath.MaxRank];
        Span<long> steps = stackalloc long[ShapeMath.MaxRank];
        int count;
        var axisCount = -1;
        var stepCount = -1;
        if (startsAttribute is not null && endsAttribute is not null)
        {
            startsAttribute.CopyTo(starts);
            endsAttribute.CopyTo(ends);
            count = startsAttribute.Length;
            if (axesAttribute is not null)
            {
                axesAttribute.CopyTo(axes);
                axisCount = axesAttribute.Length;
            }
        }
        else
        {
            count = IntTensors.Read(context.Input(1), starts);
            IntTensors.Read(context.Input(2), ends);
            if (context.OptionalInput(3) is { } axesInput)
                axisCount = IntTensors.Read(axesInput, axes);
            if (context.OptionalInput(4) is { } stepsInput)
                stepCount = IntTensors.Read(stepsInput, steps);
        }
        Span<int> begin = stackalloc int[rank];
        Span<int> stride = stackalloc int[rank];
        Span<int> dims = stackalloc int[rank];
        for (var d = 0; d < rank; d++)
        {
            begin[d] = 0;
            stride[d] = 1;
            dims[d] = input.Dim(d);
        }
        for (var i = 0; i < count; i++)
        {
            var axis = ShapeMath.NormalizeAxis(axisCount >= 0 ? axes[i] : i, rank);
            var step = stepCount >= 0 ? steps[i] : 1;
            var size = (long)input.Dim(axis);
            var start = starts[i] < 0 ? starts[i] + size : starts[i];
            var end = ends[i] < 0 ? ends[i] + size : ends[i];
            if (step > 0)
            {
                start = Math.Clamp(start, 0, size);
                end = Math.Clamp(end, 0, size);
                dims[axis] = (int)Math.Max(0, (end - start + step - 1) / step);
            }
            else
            {
                start = Math.Clamp(start, -1, size - 1);
                end = Math.Clamp(end, -1, size - 1);
                dims[axis] = (int)Math.Max(0, (start - end - step - 1) / -step);
            }
            begin[axis] = (int)start;
            stride[axis] = (int)step;
        }
        var output = context.Output(0, input.ElementType, dims);
        Copy(input.Bytes, input.Dims, begin, stride, input.ElementSize, output.Write<byte>(), dims);
    }

    /// <summary>output[i…] = input[begin + i·step …] over <paramref name="outputDims"/>, on raw bytes.</summary>
    public static void Copy(ReadOnlySpan<byte> input, ReadOnlySpan<int> inputDims, ReadOnlySpan<int> begin, ReadOnlySpan<int> step,
        int elementSize, Span<byte> output, ReadOnlySpan<int> outputDims)
    {
        var rank = inputDims.Length;
        if (output.IsEmpty)
            return;
        Span<int> strides = stackalloc int[rank];
        ShapeMath.Strides(inputDims, strides);
        var source = 0;
        for (var d = 0; d < rank; d++)
            source += begin[d] * strides[d];
        // A unit-step innermost axis is copied as one block.
        var blockAxis = rank > 0 && step[rank - 1] == 1 ? rank - 1 : rank;
        var blockBytes = (blockAxis < rank ? outputDims[rank - 1] : 1) * elementSize;
        Span<int> counter = stackalloc int[rank];
        counter.Clear();
        for (var target = 0; target < output.Length; target += blockBytes)
        {
            input.Slice(source * elementSize, blockBytes).CopyTo(output.Slice(target, blockBytes));
            for (var axis = blockAxis - 1; axis >= 0; axis--)
            {
                source += step[axis] * strides[axis];
                if (++counter[axis] < outputDims[axis])
                    break;
                source -= step[axis] * strides[axis] * outputDims[axis];
                counter[axis] = 0;
            }
        }
    }
}
