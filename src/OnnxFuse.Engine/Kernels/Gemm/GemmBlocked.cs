using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace OnnxFuse.Engine.Kernels.Gemm;

/// <summary>
/// The Goto/BLIS loop nest around a microkernel, for the C sub-block [rowStart, rowEnd) × [columnStart, columnEnd)
/// (both starts multiples of the tile sizes):
/// <code>
/// for jc in columns by ColumnBlock:          B panel  [DepthBlock × ColumnBlock] → L3 (packed unless prepacked)
///   for pc in depth by DepthBlock:
///     for ic in rows by RowBlock:              A block  [RowBlock × DepthBlock]  → L2 (read in place unless transposed or prepacked)
///       for jr in panel by ColumnTile:         B strip  [DepthBlock × ColumnTile] → L1
///         for ir in block by RowTile:          microkernel on registers (the last rows maybe in narrow tiles)
///       on the last pc: bias + activation on C[ic.., jc..]
/// </code>
/// </summary>
static class GemmBlocked<TMicro>
    where TMicro : struct, IGemmMicroKernel
{
    [ThreadStatic]
    static float[]? s_packA;

    [ThreadStatic]
    static float[]? s_packB;

    [ThreadStatic]
    static float[]? s_bias;

    public static unsafe void Run(in GemmOperands o, int rowStart, int rowEnd, int columnStart, int columnEnd)
    {
        var p = o.Parameters;
        var rowTile = TMicro.RowTile;
        var columnTile = TMicro.ColumnTile;
        var depthBlock = TMicro.DepthBlock;
        var rowBlock = TMicro.RowBlock;
        var columnBlock = TMicro.ColumnBlock;
        var packB = o.PackedB is null ? Scratch(ref s_packB, depthBlock * columnBlock) : null;
        var readsARows = o.PackedA is null && ReadsARows(p);
        var packA = o.PackedA is null && !readsARows ? Scratch(ref s_packA, rowBlock * depthBlock) : null;
        var strideC = p.StrideC;
        // A per-column bias rides on the accumulators of the last depth block instead of a second pass over C. The
        // kernel loads whole strips of it, so it is copied zero-padded; alpha ≠ 1 would scale it, so that keeps the pass.
        var fusesBias = p.BiasKind == BiasKind.PerColumn && p.Alpha == 1f;
        var paddedBias = fusesBias ? Scratch(ref s_bias, columnBlock + columnTile) : null;

        for (var jc = columnStart; jc < columnEnd; jc += columnBlock)
        {
            var nc = Math.Min(columnBlock, columnEnd - jc);
            if (fusesBias)
                PadBias(o.Bias + jc, nc, columnTile, paddedBias);
            for (var pc = 0; pc < p.Depth; pc += depthBlock)
            {
                var kc = Math.Min(depthBlock, p.Depth - pc);
                var beta = pc == 0 ? p.Beta : 1f;
                var last = pc + kc == p.Depth;
                float* bBlock;
                if (o.PackedB is { } packedB)
                {
                    bBlock = packedB.Block(pc, kc, jc);
                }
                else
                {
                    GemmPacking.PackB(o.B, p.StrideB, p.TransposeB, pc, kc, jc, nc, columnTile, packB);
                    bBlock = packB;
                }

                for (var ic = rowStart; ic < rowEnd; ic += rowBlock)
                {
                    var mc = Math.Min(rowBlock, rowEnd - ic);
                    // The tile at row ir starts at aTiles + ir·tileStep; its element (r, k) lies r·rowStride + k·depthStride
                    // further on (see IGemmMicroKernel.Run). A packed strip holds RowTile rows of kc each.
                    float* aTiles;
                    nint tileStep, rowStride, depthStride;
                    if (o.PackedA is { } packedA)
                    {
                        aTiles = packedA.Block(pc, kc, ic);
                        (tileStep, rowStride, depthStride) = (kc, 1, rowTile);
                    }
                    else if (readsARows)
                    {
                        aTiles = o.A + (nint)ic * p.StrideA + pc;
                        (tileStep, rowStride, depthStride) = (p.StrideA, p.StrideA, 1);
                    }
                    else
                    {
                        GemmPacking.PackA(o.A, p.StrideA, p.TransposeA, ic, mc, pc, kc, rowTile, packA);
                        aTiles = packA;
                        (tileStep, rowStride, depthStride) = (kc, 1, rowTile);
                    }

                    for (var jr = 0; jr < nc; jr += columnTile)
                    {
                        var bStrip = bBlock + (nint)jr * kc;
                        var columns = Math.Min(columnTile, nc - jr);
                        var cColumn = o.C + jc + jr;
                        var stripBias = fusesBias && last ? paddedBias + jr : null;
                        for (var ir = 0; ir < mc;)
                        {
                            var rows = TileRows(mc - ir, readsARows);
                            TMicro.Run(aTiles + ir * tileStep, rowStride, depthStride, bStrip, stripBias, kc, p.Alpha, beta,
                                rows, columns, cColumn + (nint)(ic + ir) * strideC, strideC);
                            ir += rows;
                        }
                    }

                    if (last)
                        GemmEpilogue.Apply(o, ic, mc, jc, nc, biasAdded: fusesBias);
                }
            }
        }
    }

    /// <summary>
    /// Rows of the next tile when <paramref name="remaining"/> rows of the block are left. Packed A comes in whole
    /// RowTile strips; A read in place can end in two narrow tiles instead of a full tile plus a short padded one
    /// (128 rows = 20·6 + 4 + 4 rather than 21·6 + a 6-row tile for 2 rows).
    /// </summary>
    static int TileRows(int remaining, bool readsARows)
    {
        if (readsARows && remaining > TMicro.RowTile && remaining <= 2 * TMicro.NarrowRowTile)
            return TMicro.NarrowRowTile;
        return Math.Min(TMicro.RowTile, remaining);
    }

    /// <summary>
    /// Whether the microkernel broadcasts A straight from its rows instead of a packed copy (as MLAS does). Packing
    /// costs a scattered store per element of A per depth block, against only ColumnCount/ColumnTile uses of it: 6 %
    /// of the work at N = 256. Rows 8 KiB apart (2048³) measured no slower than packed; transposed A still packs.
    /// </summary>
    static bool ReadsARows(in GemmParameters p) => !p.TransposeA;

    static unsafe void PadBias(float* bias, int columnCount, int columnTile, float* destination)
    {
        new ReadOnlySpan<float>(bias, columnCount).CopyTo(new Span<float>(destination, columnCount));
        new Span<float>(destination + columnCount, columnTile).Clear();
    }

    static unsafe float* Scratch(ref float[]? slot, int length)
    {
        if (slot is null || slot.Length < length + 16)
            slot = GC.AllocateUninitializedArray<float>(length + 16, pinned: true);
        var address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(slot));
        return (float*)((address + 63) & ~(nint)63);
    }
}
