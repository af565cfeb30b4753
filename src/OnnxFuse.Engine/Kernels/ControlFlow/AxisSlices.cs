namespace OnnxFuse.Engine.Kernels.ControlFlow;

/// <summary>
/// Moves one slice along an axis between a tensor and its slices, as raw bytes: Scan cuts its inputs into per-iteration
/// slices and stacks the per-iteration outputs. A tensor of dims [outer…, length, inner…] holds slice i at
/// outer · length · inner + i · inner for every outer index.
/// </summary>
static class AxisSlices
{
    /// <summary>Copies slice <paramref name="index"/> along <paramref name="axis"/> of <paramref name="source"/> (dims <paramref name="sourceDims"/>).</summary>
    public static void Extract(ReadOnlySpan<byte> source, ReadOnlySpan<int> sourceDims, int axis, int index, int elementSize, Span<byte> destination)
    {
        var (outer, length, inner) = Split(sourceDims, axis, elementSize);
        for (var o = 0; o < outer; o++)
            source.Slice((o * length + index) * inner, inner).CopyTo(destination.Slice(o * inner, inner));
    }

    /// <summary>Writes <paramref name="slice"/> as slice <paramref name="index"/> along <paramref name="axis"/> of <paramref name="destination"/> (dims <paramref name="stackedDims"/>).</summary>
    public static void Place(ReadOnlySpan<byte> slice, ReadOnlySpan<int> stackedDims, int axis, int index, int elementSize, Span<byte> destination)
    {
        var (outer, length, inner) = Split(stackedDims, axis, elementSize);
        for (var o = 0; o < outer; o++)
            slice.Slice(o * inner, inner).CopyTo(destination.Slice((o * length + index) * inner, inner));
    }

    /// <summary><paramref name="dims"/> without <paramref name="axis"/>: the dims of one slice.</summary>
    public static int[] WithoutAxis(ReadOnlySpan<int> dims, int axis) => [.. dims[..axis], .. dims[(axis + 1)..]];

    /// <summary><paramref name="sliceDims"/> with <paramref name="length"/> inserted at <paramref name="axis"/>: the dims of the stack.</summary>
    public static int[] WithAxis(ReadOnlySpan<int> sliceDims, int axis, int length) => [.. sliceDims[..axis], length, .. sliceDims[axis..]];

    static (int Outer, int Length, int InnerBytes) Split(ReadOnlySpan<int> dims, int axis, int elementSize)
    {
        var outer = 1;
        for (var i = 0; i < axis; i++)
            outer *= dims[i];
        var inner = elementSize;
        for (var i = axis + 1; i < dims.Length; i++)
            inner *= dims[i];
        return (outer, dims[axis], inner);
    }
}
