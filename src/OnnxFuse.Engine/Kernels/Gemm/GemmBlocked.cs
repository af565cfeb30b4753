using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace OnnxFuse.Engine.Kernels.Gemm;

/// <summary>
/// The Goto/BLIS loop nest around a microkernel, for the C sub-block [rowStart, rowEnd) × [columnStart, columnEnd)
/// (both starts multiples of the tile sizes):
/// <code>
/// for jc in columns by ColumnBlock:          B panel  [DepthBlock × ColumnBlock] → L3 (packed unless prepacked)
///   for pc in depth by DepthBlock:
///     for ic in rows by RowBlock:              A block  [RowBlock × DepthBlock]  → L2 (packed unless prepacked)
///       for jr in panel by ColumnTile:         B strip  [DepthBlock × ColumnTile] → L1
///         for ir in block by RowTile:          microkernel on registers
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

    public static unsafe void Run(in GemmOperands o, int rowStart, int rowEnd, int columnStart, int columnEnd)
    {
        var p = o.Parameters;
        var rowTile = TMicro.RowTile;
        var columnTile = TMicro.ColumnTile;
        var depthBlock = TMicro.DepthBlock;
        var rowBlock = TMicro.RowBlock;
        var columnBlock = TMicro.ColumnBlock;
        var packB = o.PackedB is null ? Scratch(ref s_packB, depthBlock * columnBlock) : null;
        var packA = o.PackedA is null ? Scratch(ref s_packA, rowBlock * depthBlock) : null;
        var strideC = p.StrideC;

        for (var jc = columnStart; jc < columnEnd; jc += columnBlock)
        {
            var nc = Math.Min(columnBlock, columnEnd - jc);
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
                    float* aBlock;
                    if (o.PackedA is { } packedA)
                    {
                        aBlock = packedA.Block(pc, kc, ic);
                    }
                    else
                    {
                        GemmPacking.PackA(o.A, p.StrideA, p.TransposeA, ic, mc, pc, kc, rowTile, packA);
                        aBlock = packA;
                    }

                    for (var jr = 0; jr < nc; jr += columnTile)
                    {
                        var bStrip = bBlock + (nint)jr * kc;
                        var columns = Math.Min(columnTile, nc - jr);
                        var cColumn = o.C + jc + jr;
                        for (var ir = 0; ir < mc; ir += rowTile)
                        {
                            TMicro.Run(aBlock + (nint)ir * kc, bStrip, kc, p.Alpha, beta,
                                Math.Min(rowTile, mc - ir), columns, cColumn + (nint)(ic + ir) * strideC, strideC);
                        }
                    }

                    if (last)
                        GemmEpilogue.Apply(o, ic, mc, jc, nc);
                }
            }
        }
    }

    static unsafe float* Scratch(ref float[]? slot, int length)
    {
        if (slot is null || slot.Length < length + 16)
            slot = GC.AllocateUninitializedArray<float>(length + 16, pinned: true);
        var address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(slot));
        return (float*)((address + 63) & ~(nint)63);
    }
}
