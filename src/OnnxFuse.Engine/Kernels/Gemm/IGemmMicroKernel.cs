namespace OnnxFuse.Engine.Kernels.Gemm;

/// <summary>
/// A register-blocked tile: C[RowTile × ColumnTile] = alpha · Ã·B̃ + beta · C, where Ã is a packed strip
/// [depth][RowTile] and B̃ a packed strip [depth][ColumnTile], both zero-padded. Also carries the cache-block
/// sizes the Goto loops around it use (Depth block for L1, Row block for L2, Column block for L3).
/// </summary>
interface IGemmMicroKernel
{
    static abstract int RowTile { get; }
    static abstract int ColumnTile { get; }
    static abstract int DepthBlock { get; }
    static abstract int RowBlock { get; }
    static abstract int ColumnBlock { get; }

    /// <summary>
    /// Computes the full padded tile and writes its top-left <paramref name="rowCount"/> × <paramref name="columnCount"/>
    /// corner to <paramref name="c"/> (row stride <paramref name="strideC"/>); beta = 0 never reads C.
    /// </summary>
    static abstract unsafe void Run(float* packedA, float* packedB, int depth, float alpha, float beta, int rowCount, int columnCount, float* c, int strideC);
}
