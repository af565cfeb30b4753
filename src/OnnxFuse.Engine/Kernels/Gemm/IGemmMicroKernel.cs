namespace OnnxFuse.Engine.Kernels.Gemm;

/// <summary>
/// A register-blocked tile: C[rows × ColumnTile] = alpha · A·B̃ + beta · C, where B̃ is a packed strip
/// [depth][ColumnTile] (zero-padded) and element (r, k) of the A tile is <c>a[r·rowStride + k·depthStride]</c>:
/// a packed strip [depth][RowTile] is (1, RowTile), rows of a row-major A read where they lie are (strideA, 1).
/// Also carries the cache-block sizes the Goto loops around it use (Depth block for L1, Row block for L2,
/// Column block for L3).
/// </summary>
interface IGemmMicroKernel
{
    static abstract int RowTile { get; }

    /// <summary>
    /// Tiles of at most this many rows run a shorter body (fewer accumulators, same FMA throughput), so the last rows
    /// of an A whose row count is not a multiple of <see cref="RowTile"/> do not pay for a full padded tile.
    /// Equal to <see cref="RowTile"/> where the kernel has no shorter body.
    /// </summary>
    static abstract int NarrowRowTile { get; }

    static abstract int ColumnTile { get; }
    static abstract int DepthBlock { get; }
    static abstract int RowBlock { get; }
    static abstract int ColumnBlock { get; }

    /// <summary>
    /// Computes the tile and writes its top-left <paramref name="rowCount"/> × <paramref name="columnCount"/>
    /// corner to <paramref name="c"/> (row stride <paramref name="strideC"/>); beta = 0 never reads C.
    /// Rows at or past <paramref name="rowCount"/> (≤ <see cref="RowTile"/>) read the last valid row of A again and
    /// are dropped, so a partial tile reads nothing outside A. A non-null <paramref name="columnBias"/> (ColumnTile
    /// values, zero-padded past <paramref name="columnCount"/>) is added to every row before alpha scales the tile:
    /// callers pass it only with alpha = 1.
    /// </summary>
    static abstract unsafe void Run(float* a, nint rowStride, nint depthStride, float* packedB, float* columnBias, int depth, float alpha,
        float beta, int rowCount, int columnCount, float* c, int strideC);
}
