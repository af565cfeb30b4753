using OnnxFuse.Ir.Errors;

namespace OnnxFuse.Engine.Tensors;

/// <summary>Shape arithmetic shared by kernels: numpy broadcasting, axis normalisation, element counts.</summary>
static class ShapeMath
{
    /// <summary>Largest rank the engine handles in stack-allocated shape scratch.</summary>
    public const int MaxRank = 16;

    public static int Product(ReadOnlySpan<int> dims)
    {
        var product = 1;
        foreach (var d in dims)
            product *= d;
        return product;
    }

    public static int Product(ReadOnlySpan<int> dims, int start, int end)
    {
        var product = 1;
        for (var i = start; i < end; i++)
            product *= dims[i];
        return product;
    }

    /// <summary>Maps a negative axis to its positive form; throws when outside [-rank, rank).</summary>
    public static int NormalizeAxis(long axis, int rank)
    {
        var normalized = axis < 0 ? axis + rank : axis;
        if (normalized < 0 || normalized >= Math.Max(rank, 1))
            Throw.ShapeMismatch($"axis {axis} is out of range for rank {rank}");
        return (int)normalized;
    }

    /// <summary>
    /// Writes the numpy broadcast of <paramref name="left"/> and <paramref name="right"/> into <paramref name="result"/>
    /// and returns its rank.
    /// </summary>
    public static int Broadcast(ReadOnlySpan<int> left, ReadOnlySpan<int> right, Span<int> result)
    {
        var rank = Math.Max(left.Length, right.Length);
        for (var i = 0; i < rank; i++)
        {
            var l = i < rank - left.Length ? 1 : left[i - (rank - left.Length)];
            var r = i < rank - right.Length ? 1 : right[i - (rank - right.Length)];
            if (l != r && l != 1 && r != 1)
                Throw.ShapeMismatch($"shapes [{string.Join(',', left.ToArray())}] and [{string.Join(',', right.ToArray())}] do not broadcast");
            result[i] = l == 1 ? r : l;
        }
        return rank;
    }

    /// <summary>
    /// Strides of <paramref name="dims"/> read as if it had <paramref name="outputDims"/> (right-aligned),
    /// with 0 for broadcast dimensions.
    /// </summary>
    public static void BroadcastStrides(ReadOnlySpan<int> dims, ReadOnlySpan<int> outputDims, Span<int> strides)
    {
        var offset = outputDims.Length - dims.Length;
        var stride = 1;
        for (var i = outputDims.Length - 1; i >= 0; i--)
        {
            var d = i < offset ? 1 : dims[i - offset];
            strides[i] = d == 1 ? 0 : stride;
            stride *= d;
        }
    }

    public static void Strides(ReadOnlySpan<int> dims, Span<int> strides)
    {
        var stride = 1;
        for (var i = dims.Length - 1; i >= 0; i--)
        {
            strides[i] = stride;
            stride *= dims[i];
        }
    }

    public static bool SameDims(ReadOnlySpan<int> left, ReadOnlySpan<int> right) => left.SequenceEqual(right);

    public static string Format(ReadOnlySpan<int> dims) => $"[{string.Join(',', dims.ToArray())}]";
}
