using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using OnnxFuse.Engine.Kernels.Threading;
using OnnxFuse.Ir.Errors;

namespace OnnxFuse.Engine.Kernels.Quantization;

/// <summary>
/// Integer GEMM on u8 × s8 quads for AVX-VNNI: C[r, c] = Σₖ A′[r, k] · (B[k, c] − zb) computed as Σₖ A′[r, k] · B[k, c] − zb · Σₖ A′[r, k],
/// A′ the signed operand (<see cref="Int8QuadRows"/>, weights minus their zero point, fitting s8) and B the raw unsigned one
/// (<see cref="Int8QuadColumns"/>). One vpdpbusd multiplies four k per int32 lane, twice the k of <see cref="Int8Gemm"/>'s int16
/// pairs per instruction, and B is packed as bytes, half the memory. The correction −zb · RowSums[r] is added to the accumulators
/// before the epilogue, so the epilogues are <see cref="Int8Gemm"/>'s. The sums wrap in int32 like vpdpbusd, and the true result
/// fits, so C is exact. Tiles, threading and epilogue hand-off follow <see cref="Int8Gemm"/>.
/// </summary>
static unsafe class Int8GemmQuads
{
    const int PanelRows = Int8Gemm.PanelRows;
    const int TileColumns = Int8Gemm.TileColumns;
    const int ColumnChunk = 64;
    const long ParallelThreshold = 1 << 16;

    /// <summary>C = A′ · (B − zb), choosing the micro-kernel: AVX-VNNI (<paramref name="vector"/>, where supported) or the scalar reference.</summary>
    public static void Run<TEpilogue>(Int8QuadRows a, Int8QuadColumns b, TEpilogue epilogue, int threadCount, bool vector)
        where TEpilogue : struct, IInt8Epilogue
    {
        if (a.QuadCount != b.QuadCount)
            Throw.ShapeMismatch($"int8 GEMM depths differ: {a.Depth} and {b.Depth}");
        if (a.RowCount == 0 || b.ColumnCount == 0)
            return;
        var panelCount = (a.RowCount + PanelRows - 1) / PanelRows;
        var chunkCount = (b.ColumnCount + ColumnChunk - 1) / ColumnChunk;
        var itemCount = panelCount * chunkCount;
        // A quad does the work of two of Int8Gemm's pairs, so the threshold counts in pairs.
        var work = (long)a.RowCount * b.ColumnCount * Math.Max(2 * a.QuadCount, 1);
        var threads = work < ParallelThreshold || itemCount < 2 ? 1 : KernelThreadPool.UsableThreads(threadCount);
        fixed (int* rows = a.Data)
        fixed (int* sums = a.RowSums)
        fixed (int* columns = b.Data)
        {
            var job = new Job<TEpilogue>(rows, sums, a, columns, b, epilogue, vector && AvxVnni.IsSupported);
            if (threads <= 1 || !KernelThreadPool.Shared.TryRun(new ParallelJob<TEpilogue>(job), itemCount))
            {
                for (var i = 0; i < itemCount; i++)
                    job.Execute(i);
            }
        }
    }

    /// <summary>C [a.RowCount × b.ColumnCount] as int32, row-major into <paramref name="destination"/>.</summary>
    public static void MultiplyToInt32(Int8QuadRows a, Int8QuadColumns b, Span<int> destination, int threadCount, bool vector)
    {
        if (destination.Length < (long)a.RowCount * b.ColumnCount)
            Throw.ShapeMismatch($"int8 GEMM output holds {destination.Length} values; {(long)a.RowCount * b.ColumnCount} needed");
        fixed (int* c = destination)
            Run(a, b, new Int32StoreEpilogue(c, b.ColumnCount), threadCount, vector);
    }

    /// <summary>
    /// C requantized (see <see cref="RequantizeEpilogue{T}"/>) into <paramref name="destination"/> [RowCount × ColumnCount]
    /// (byte or sbyte), multipliers and bias per row, as <see cref="Int8Gemm.MultiplyRequantized{T}"/> with <c>perRow</c>.
    /// </summary>
    public static void MultiplyRequantized<T>(Int8QuadRows a, Int8QuadColumns b, ReadOnlySpan<float> multipliers, ReadOnlySpan<int> bias,
        int zeroPoint, Span<T> destination, int threadCount, bool vector) where T : unmanaged
    {
        if (destination.Length < (long)a.RowCount * b.ColumnCount)
            Throw.ShapeMismatch($"int8 GEMM output holds {destination.Length} values; {(long)a.RowCount * b.ColumnCount} needed");
        fixed (T* c = destination)
        fixed (float* m = multipliers)
        fixed (int* add = bias)
            Run(a, b, new RequantizeEpilogue<T>(c, b.ColumnCount, 0, m, multipliers.Length, bias.IsEmpty ? null : add, true, zeroPoint),
                threadCount, vector);
    }

    readonly struct Job<TEpilogue>(int* rows, int* sums, Int8QuadRows a, int* columns, Int8QuadColumns b, TEpilogue epilogue, bool vector)
        where TEpilogue : struct, IInt8Epilogue
    {
        // The tile is fully written by the micro-kernel before the epilogue reads it.
        [SkipLocalsInit]
        public void Execute(int index)
        {
            var panelCount = (a.RowCount + PanelRows - 1) / PanelRows;
            var panel = index % panelCount;
            var columnStart = index / panelCount * ColumnChunk;
            var columnEnd = Math.Min(columnStart + ColumnChunk, b.ColumnCount);
            var row = panel * PanelRows;
            var rowCount = Math.Min(PanelRows, a.RowCount - row);
            var panelData = rows + (long)panel * a.QuadCount * PanelRows;
            var panelSums = sums + row;
            var tile = stackalloc int[PanelRows * TileColumns];
            for (var column = columnStart; column < columnEnd; column += TileColumns)
            {
                var width = Math.Min(TileColumns, columnEnd - column);
                var columnPanel = columns + (long)(column / TileColumns) * a.QuadCount * TileColumns;
                if (vector)
                {
                    if (width == TileColumns && epilogue.TakesRowPairs)
                        TileAvxVnni(panelData, columnPanel, panelSums, a.QuadCount, b.ZeroPoint, row, rowCount, column, epilogue);
                    else
                    {
                        // As in Int8Gemm: narrow tiles and per-column multipliers go through memory.
                        if (width > 8)
                        {
                            TileAvxVnni(panelData, columnPanel, panelSums, a.QuadCount, b.ZeroPoint, 0, PanelRows, 0,
                                new Int32StoreEpilogue(tile, TileColumns));
                        }
                        else
                            NarrowTileAvxVnni(panelData, columnPanel, panelSums, a.QuadCount, b.ZeroPoint, tile);
                        epilogue.WriteTile(row, rowCount, column, width, tile);
                    }
                }
                else
                {
                    TileScalar(panelData, columnPanel, panelSums, a.QuadCount, b.ZeroPoint, rowCount, width, tile);
                    for (var r = 0; r < rowCount; r++)
                        epilogue.Write(row + r, column, new ReadOnlySpan<int>(tile + r * TileColumns, width));
                }
            }
        }
    }

    sealed class ParallelJob<TEpilogue>(Job<TEpilogue> job) : IParallelWork where TEpilogue : struct, IInt8Epilogue
    {
        public void Execute(int index) => job.Execute(index);
    }

    /// <summary>The reference micro-kernel: rowCount × width (≤ 6 × 16) of the corrected product into <paramref name="tile"/>, rows 16 apart.</summary>
    static void TileScalar(int* panel, int* columns, int* sums, int quadCount, int zeroPoint, int rowCount, int width, int* tile)
    {
        for (var r = 0; r < rowCount; r++)
        {
            for (var c = 0; c < width; c++)
            {
                var sum = 0;
                for (var q = 0; q < quadCount; q++)
                {
                    var a = panel[q * PanelRows + r];
                    var b = columns[q * TileColumns + c];
                    for (var i = 0; i < 4; i++)
                        sum += (byte)(b >> (8 * i)) * (sbyte)(a >> (8 * i));
                }
                tile[r * TileColumns + c] = sum - zeroPoint * sums[r];
            }
        }
    }

    /// <summary>
    /// The AVX-VNNI micro-kernel: a 6 × 16 tile, rows [row, row + rowCount), corrected and handed to the epilogue two rows at a time.
    /// </summary>
    /// <remarks>
    /// Register use as <see cref="Int8Gemm"/>'s AVX2 kernel (12 accumulators, 2 B vectors, 1 broadcast); vpdpbusd takes the
    /// unsigned operand first, so the B vectors (u8) go left and the broadcast weights (s8) right.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void TileAvxVnni<TEpilogue>(int* panel, int* columns, int* sums, int quadCount, int zeroPoint, int row, int rowCount, int column,
        TEpilogue epilogue)
        where TEpilogue : struct, IInt8Epilogue
    {
        Vector256<int> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector256<int> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        var a = panel;
        var b = columns;
        for (var q = 0; q < quadCount; q++, a += PanelRows, b += TileColumns)
        {
            var b0 = Avx.LoadVector256((byte*)b);
            var b1 = Avx.LoadVector256((byte*)(b + 8));
            var a0 = Vector256.Create(a[0]).AsSByte();
            c00 = AvxVnni.MultiplyWideningAndAdd(c00, b0, a0);
            c01 = AvxVnni.MultiplyWideningAndAdd(c01, b1, a0);
            var a1 = Vector256.Create(a[1]).AsSByte();
            c10 = AvxVnni.MultiplyWideningAndAdd(c10, b0, a1);
            c11 = AvxVnni.MultiplyWideningAndAdd(c11, b1, a1);
            var a2 = Vector256.Create(a[2]).AsSByte();
            c20 = AvxVnni.MultiplyWideningAndAdd(c20, b0, a2);
            c21 = AvxVnni.MultiplyWideningAndAdd(c21, b1, a2);
            var a3 = Vector256.Create(a[3]).AsSByte();
            c30 = AvxVnni.MultiplyWideningAndAdd(c30, b0, a3);
            c31 = AvxVnni.MultiplyWideningAndAdd(c31, b1, a3);
            var a4 = Vector256.Create(a[4]).AsSByte();
            c40 = AvxVnni.MultiplyWideningAndAdd(c40, b0, a4);
            c41 = AvxVnni.MultiplyWideningAndAdd(c41, b1, a4);
            var a5 = Vector256.Create(a[5]).AsSByte();
            c50 = AvxVnni.MultiplyWideningAndAdd(c50, b0, a5);
            c51 = AvxVnni.MultiplyWideningAndAdd(c51, b1, a5);
        }
        var zero = Vector256.Create(-zeroPoint);
        var s0 = Vector256.Create(sums[0]) * zero;
        var s1 = Vector256.Create(sums[1]) * zero;
        epilogue.WriteRowPair(row, rowCount > 1, column, c00 + s0, c01 + s0, c10 + s1, c11 + s1);
        if (rowCount > 2)
        {
            var s2 = Vector256.Create(sums[2]) * zero;
            var s3 = Vector256.Create(sums[3]) * zero;
            epilogue.WriteRowPair(row + 2, rowCount > 3, column, c20 + s2, c21 + s2, c30 + s3, c31 + s3);
        }
        if (rowCount > 4)
        {
            var s4 = Vector256.Create(sums[4]) * zero;
            var s5 = Vector256.Create(sums[5]) * zero;
            epilogue.WriteRowPair(row + 4, rowCount > 5, column, c40 + s4, c41 + s4, c50 + s5, c51 + s5);
        }
    }

    /// <summary>The AVX-VNNI micro-kernel for tiles of at most 8 columns: 6 × 8 into <paramref name="tile"/>, rows 16 apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void NarrowTileAvxVnni(int* panel, int* columns, int* sums, int quadCount, int zeroPoint, int* tile)
    {
        Vector256<int> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default;
        var a = panel;
        var b = columns;
        for (var q = 0; q < quadCount; q++, a += PanelRows, b += TileColumns)
        {
            var b0 = Avx.LoadVector256((byte*)b);
            c0 = AvxVnni.MultiplyWideningAndAdd(c0, b0, Vector256.Create(a[0]).AsSByte());
            c1 = AvxVnni.MultiplyWideningAndAdd(c1, b0, Vector256.Create(a[1]).AsSByte());
            c2 = AvxVnni.MultiplyWideningAndAdd(c2, b0, Vector256.Create(a[2]).AsSByte());
            c3 = AvxVnni.MultiplyWideningAndAdd(c3, b0, Vector256.Create(a[3]).AsSByte());
            c4 = AvxVnni.MultiplyWideningAndAdd(c4, b0, Vector256.Create(a[4]).AsSByte());
            c5 = AvxVnni.MultiplyWideningAndAdd(c5, b0, Vector256.Create(a[5]).AsSByte());
        }
        var zero = Vector256.Create(-zeroPoint);
        Avx.Store(tile, c0 + Vector256.Create(sums[0]) * zero);
        Avx.Store(tile + 16, c1 + Vector256.Create(sums[1]) * zero);
        Avx.Store(tile + 32, c2 + Vector256.Create(sums[2]) * zero);
        Avx.Store(tile + 48, c3 + Vector256.Create(sums[3]) * zero);
        Avx.Store(tile + 64, c4 + Vector256.Create(sums[4]) * zero);
        Avx.Store(tile + 80, c5 + Vector256.Create(sums[5]) * zero);
    }
}
