namespace OnnxFuse.Engine.Kernels.Threading;

/// <summary>
/// How a parallel job cuts its work: part <c>index</c> of <c>parts</c> gets one contiguous range, the ranges together
/// cover every item once and differ in size by at most one item (or one tile).
/// </summary>
static class EvenSplit
{
    /// <summary>Items [start, end) of <paramref name="count"/> for part <paramref name="index"/>.</summary>
    public static (int Start, int End) Range(int count, int index, int parts) =>
        ((int)((long)count * index / parts), (int)((long)count * (index + 1) / parts));

    /// <summary>
    /// Positions [start, end) of an <paramref name="extent"/> cut into <paramref name="tiles"/> tiles of <paramref name="tile"/>
    /// (the last one partial): whole tiles per part, clamped to the extent.
    /// </summary>
    public static (int Start, int End) TileRange(int tiles, int tile, int extent, int index, int parts)
    {
        var (first, last) = Range(tiles, index, parts);
        return (Math.Min(extent, first * tile), Math.Min(extent, last * tile));
    }
}
