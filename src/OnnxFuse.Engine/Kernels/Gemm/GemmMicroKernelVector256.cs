using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace OnnxFuse.Engine.Kernels.Gemm;

/// <summary>
/// 6×16 tile with Vector256 FMAs: 12 accumulators + 2 B vectors + 1 broadcast = 15 of the 16 ymm registers; tiles of
/// up to 4 rows run a 4×16 body (8 accumulators). A is broadcast one element at a time, so it can be read packed or
/// straight from its rows at no extra cost (see <see cref="IGemmMicroKernel.Run"/>).
/// Blocks: a 512-deep B strip is 32 KiB (all of L1d, yet 3 % faster than 256 deep on bert's K = 1024, which then
/// reloads C half as often), a 144×512 A block is 288 KiB (L2), the B panel 512 × 4080 (8 MiB) in L3.
/// </summary>
readonly struct GemmMicroKernelVector256 : IGemmMicroKernel
{
    public static int RowTile => 6;
    public static int NarrowRowTile => 4;
    public static int ColumnTile => 16;
    public static int DepthBlock => 512;
    public static int RowBlock => 144;
    public static int ColumnBlock => 4080;

    // Inlined into the loops so a tile costs one call: shallow products (a 1×1 conv's depth of 16) feel every one.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe void Run(float* a, nint rowStride, nint depthStride, float* packedB, float* columnBias, int depth, float alpha,
        float beta, int rowCount, int columnCount, float* c, int strideC)
    {
        if (rowCount <= NarrowRowTile)
            Tile<FourTileRows>(a, rowStride, depthStride, packedB, columnBias, depth, alpha, beta, rowCount, columnCount, c, strideC);
        else
            Tile<SixTileRows>(a, rowStride, depthStride, packedB, columnBias, depth, alpha, beta, rowCount, columnCount, c, strideC);
    }

    static unsafe void Tile<TRows>(float* a, nint rowStride, nint depthStride, float* packedB, float* columnBias, int depth, float alpha,
        float beta, int rowCount, int columnCount, float* c, int strideC)
        where TRows : struct, IGemmTileRows
    {
        var a0 = a;
        var a1 = a0 + rowStride;
        var a2 = a1 + rowStride;
        var a3 = a2 + rowStride;
        var a4 = a3 + rowStride;
        var a5 = a4 + rowStride;
        if (rowCount < TRows.Count)
        {
            var last = rowCount - 1;
            a1 = a + Math.Min(1, last) * rowStride;
            a2 = a + Math.Min(2, last) * rowStride;
            a3 = a + Math.Min(3, last) * rowStride;
            a4 = a + Math.Min(4, last) * rowStride;
            a5 = a + Math.Min(5, last) * rowStride;
        }
        var c00 = Vector256<float>.Zero;
        var c01 = Vector256<float>.Zero;
        var c10 = Vector256<float>.Zero;
        var c11 = Vector256<float>.Zero;
        var c20 = Vector256<float>.Zero;
        var c21 = Vector256<float>.Zero;
        var c30 = Vector256<float>.Zero;
        var c31 = Vector256<float>.Zero;
        var c40 = Vector256<float>.Zero;
        var c41 = Vector256<float>.Zero;
        var c50 = Vector256<float>.Zero;
        var c51 = Vector256<float>.Zero;
        if (Sse.IsSupported)
        {
            // C rows are far apart (one per leading dimension) and often out of L1; fetch them while the FMAs run
            // instead of stalling on them at the store.
            for (var r = 0; r < rowCount; r++)
            {
                Sse.Prefetch0(c + (nint)r * strideC);
                Sse.Prefetch0(c + (nint)r * strideC + 15);
            }
        }
        var b = packedB;
        nint offset = 0;
        for (var k = 0; k < depth; k++)
        {
            var b0 = Vector256.Load(b + 0);
            var b1 = Vector256.Load(b + 8);
            var x = Vector256.Create(a0[offset]);
            c00 = Vector256.MultiplyAddEstimate(x, b0, c00);
            c01 = Vector256.MultiplyAddEstimate(x, b1, c01);
            x = Vector256.Create(a1[offset]);
            c10 = Vector256.MultiplyAddEstimate(x, b0, c10);
            c11 = Vector256.MultiplyAddEstimate(x, b1, c11);
            x = Vector256.Create(a2[offset]);
            c20 = Vector256.MultiplyAddEstimate(x, b0, c20);
            c21 = Vector256.MultiplyAddEstimate(x, b1, c21);
            x = Vector256.Create(a3[offset]);
            c30 = Vector256.MultiplyAddEstimate(x, b0, c30);
            c31 = Vector256.MultiplyAddEstimate(x, b1, c31);
            if (TRows.Count > 4)
            {
                x = Vector256.Create(a4[offset]);
                c40 = Vector256.MultiplyAddEstimate(x, b0, c40);
                c41 = Vector256.MultiplyAddEstimate(x, b1, c41);
                x = Vector256.Create(a5[offset]);
                c50 = Vector256.MultiplyAddEstimate(x, b0, c50);
                c51 = Vector256.MultiplyAddEstimate(x, b1, c51);
            }
            offset += depthStride;
            b += 16;
        }
        if (columnBias != null)
        {
            var bias0 = Vector256.Load(columnBias);
            var bias1 = Vector256.Load(columnBias + 8);
            c00 += bias0;
            c01 += bias1;
            c10 += bias0;
            c11 += bias1;
            c20 += bias0;
            c21 += bias1;
            c30 += bias0;
            c31 += bias1;
            if (TRows.Count > 4)
            {
                c40 += bias0;
                c41 += bias1;
                c50 += bias0;
                c51 += bias1;
            }
        }

        if (columnCount == ColumnTile && rowCount == TRows.Count && alpha == 1f && beta == 0f)
        {
            // The common full tile, C = A·B: plain stores, no checks between them (a 1×1 conv's 16-deep tile feels each).
            c00.Store(c);
            c01.Store(c + 8);
            c10.Store(c + strideC);
            c11.Store(c + strideC + 8);
            c20.Store(c + 2 * (nint)strideC);
            c21.Store(c + 2 * (nint)strideC + 8);
            c30.Store(c + 3 * (nint)strideC);
            c31.Store(c + 3 * (nint)strideC + 8);
            if (TRows.Count > 4)
            {
                c40.Store(c + 4 * (nint)strideC);
                c41.Store(c + 4 * (nint)strideC + 8);
                c50.Store(c + 5 * (nint)strideC);
                c51.Store(c + 5 * (nint)strideC + 8);
            }
            return;
        }
        if (columnCount == ColumnTile && rowCount == TRows.Count)
        {
            StoreRow(c, c00, c01, alpha, beta);
            StoreRow(c + strideC, c10, c11, alpha, beta);
            StoreRow(c + 2 * (nint)strideC, c20, c21, alpha, beta);
            StoreRow(c + 3 * (nint)strideC, c30, c31, alpha, beta);
            if (TRows.Count > 4)
            {
                StoreRow(c + 4 * (nint)strideC, c40, c41, alpha, beta);
                StoreRow(c + 5 * (nint)strideC, c50, c51, alpha, beta);
            }
            return;
        }
        if (columnCount == ColumnTile)
        {
            StoreRow(c, c00, c01, alpha, beta);
            if (rowCount > 1)
                StoreRow(c + strideC, c10, c11, alpha, beta);
            if (rowCount > 2)
                StoreRow(c + 2 * (nint)strideC, c20, c21, alpha, beta);
            if (rowCount > 3)
                StoreRow(c + 3 * (nint)strideC, c30, c31, alpha, beta);
            if (TRows.Count > 4 && rowCount > 4)
                StoreRow(c + 4 * (nint)strideC, c40, c41, alpha, beta);
            if (TRows.Count > 5 && rowCount > 5)
                StoreRow(c + 5 * (nint)strideC, c50, c51, alpha, beta);
            return;
        }
        StoreEdge(c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51, alpha, beta, rowCount, columnCount, c, strideC);
    }

    /// <summary>
    /// Edge tile: spill the padded tile and copy the valid corner. Out of line, so the hot tile body has no stack
    /// buffer (and no stack-guard check) of its own.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    [SkipLocalsInit]
    static unsafe void StoreEdge(Vector256<float> c00, Vector256<float> c01, Vector256<float> c10, Vector256<float> c11, Vector256<float> c20,
        Vector256<float> c21, Vector256<float> c30, Vector256<float> c31, Vector256<float> c40, Vector256<float> c41, Vector256<float> c50,
        Vector256<float> c51, float alpha, float beta, int rowCount, int columnCount, float* c, int strideC)
    {
        var tile = stackalloc float[6 * ColumnTile];
        StoreRow(tile + 0 * ColumnTile, c00, c01, alpha, 0f);
        StoreRow(tile + 1 * ColumnTile, c10, c11, alpha, 0f);
        StoreRow(tile + 2 * ColumnTile, c20, c21, alpha, 0f);
        StoreRow(tile + 3 * ColumnTile, c30, c31, alpha, 0f);
        StoreRow(tile + 4 * ColumnTile, c40, c41, alpha, 0f);
        StoreRow(tile + 5 * ColumnTile, c50, c51, alpha, 0f);
        GemmTile.CopyCorner(tile, ColumnTile, rowCount, columnCount, beta, c, strideC);
    }

    /// <summary>alpha · (x0, x1) + beta · C into one row of 16 (beta = 0 never reads C; alpha = 1 skips the scaling).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static unsafe void StoreRow(float* c, Vector256<float> x0, Vector256<float> x1, float alpha, float beta)
    {
        if (alpha != 1f)
        {
            var scale = Vector256.Create(alpha);
            x0 *= scale;
            x1 *= scale;
        }
        if (beta == 0f)
        {
            x0.Store(c + 0);
            x1.Store(c + 8);
            return;
        }
        var keep = Vector256.Create(beta);
        Vector256.MultiplyAddEstimate(Vector256.Load(c + 0), keep, x0).Store(c + 0);
        Vector256.MultiplyAddEstimate(Vector256.Load(c + 8), keep, x1).Store(c + 8);
    }
}
