using OnnxFuse.Engine.Tensors;

namespace OnnxFuse.Engine.Kernels.Elementwise;

/// <summary>Copies a tensor into a larger one it broadcasts to (Expand, and the first operand of variadic ops).</summary>
static class BroadcastCopy
{
    public static void Run<T>(ReadOnlySpan<T> source, ReadOnlySpan<int> sourceDims, Span<T> destination, ReadOnlySpan<int> outputDims)
    {
        if (destination.IsEmpty)
            return;
        if (source.Length == destination.Length)
        {
            source.CopyTo(destination);
            return;
        }
        if (source.Length == 1)
        {
            destination.Fill(source[0]);
            return;
        }
        var rank = outputDims.Length;
        Span<int> strides = stackalloc int[rank];
        ShapeMath.BroadcastStrides(sourceDims, outputDims, strides);
        // The innermost contiguous run of the source (if any) is copied as a block.
        var inner = 1;
        var axis = rank - 1;
        while (axis >= 0 && strides[axis] == inner && outputDims[axis] > 0)
        {
            inner *= outputDims[axis];
            axis--;
        }
        Span<int> counter = stackalloc int[rank];
        counter.Clear();
        var sourceOffset = 0;
        for (var outputOffset = 0; outputOffset < destination.Length; outputOffset += inner)
        {
            if (inner == 1)
                destination[outputOffset] = source[sourceOffset];
            else
                source.Slice(sourceOffset, inner).CopyTo(destination.Slice(outputOffset, inner));
            for (var a = axis; a >= 0; a--)
            {
                sourceOffset += strides[a];
                if (++counter[a] < outputDims[a])
                    break;
                sourceOffset -= strides[a] * outputDims[a];
                counter[a] = 0;
            }
        }
    }
}
