using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using OnnxFuse.Engine.Kernels.Gemm;
using OnnxFuse.Engine.Kernels.Threading;
using OnnxFuse.Engine.Simd;
using OnnxFuse.Ir.Errors;

namespace OnnxFuse.Engine.Kernels.Quantization;

/// <summary>
/// Integer GEMM for the quantized operators: C[r, c] = Σₖ (A[r, k] − za) · (B[k, c] − zb), int32 accumulation,
/// with the result handed to an <see cref="IInt8Epilogue"/> (int32 store or requantization) tile by tile.
/// Both operands are packed once, zero points subtracted and widened to int16, so u8 and s8 share one kernel:
/// A as <see cref="Int8PackedRows"/> (panels of 6 rows, k in pairs), B as <see cref="Int8PackedColumns"/>
/// (panels of 16 columns, k in pairs). The AVX2 kernel multiplies the pairs with vpmaddwd (s16·s16 + s16·s16 → s32): each term is at
/// most 255² so the pair sum never saturates, unlike vpmaddubsw's u8·s8 pair sum into s16. With AVX-VNNI
/// (<see cref="UsesAvxVnni"/>) the same kernel fuses multiply and add into vpdpwssd, and operands that fit u8 × s8 take
/// <see cref="Int8GemmQuads"/> (vpdpbusd, four k per lane) instead.
/// </summary>
static unsafe class Int8Gemm
{
    /// <summary>Rows per panel (the micro-kernel's height).</summary>
    public const int PanelRows = 6;

    /// <summary>Columns of the widest micro-kernel tile.</summary>
    public const int TileColumns = 16;

    const int ColumnChunk = 64;

    /// <summary>Widest tile left to <see cref="ColumnsVector256"/>: it costs 1 + 3·width instructions a pair, the 6 × 8 kernel 19.</summary>
    const int ColumnKernelWidth = 3;
    const long ParallelThreshold = 1 << 16;

    /// <summary>Whether the AVX2 micro-kernel runs (AVX2 present and <c>ONNXFUSE_SIMD</c> allows 256 bits).</summary>
    public static bool UsesVector256 => Avx2.IsSupported && SimdCapability.Width >= SimdWidth.Vector256;

    /// <summary>Whether the vector kernels use AVX-VNNI (see <see cref="AvxVnniSwitch"/>): vpdpwssd here, and <see cref="Int8GemmQuads"/>.</summary>
    public static bool UsesAvxVnni => AvxVnniSwitch.IsEnabled;

    /// <summary>C = A · B for every (row, column) of the operands, threaded over row panels and column chunks.</summary>
    public static void Run<TEpilogue>(Int8PackedRows a, Int8PackedColumns b, TEpilogue epilogue, int threadCount)
        where TEpilogue : struct, IInt8Epilogue => Run(a, b, epilogue, threadCount, UsesVector256);

    /// <summary>As above, choosing the micro-kernel: AVX2 (<paramref name="vector"/>, where supported) or the scalar reference.</summary>
    public static void Run<TEpilogue>(Int8PackedRows a, Int8PackedColumns b, TEpilogue epilogue, int threadCount, bool vector)
        where TEpilogue : struct, IInt8Epilogue
    {
        if (a.PairCount != b.PairCount)
            Throw.ShapeMismatch($"int8 GEMM depths differ: {a.Depth} and {b.Depth}");
        var panelCount = (a.RowCount + PanelRows - 1) / PanelRows;
        var chunkCount = (b.ColumnCount + ColumnChunk - 1) / ColumnChunk;
        if (a.RowCount == 0 || b.ColumnCount == 0)
            return;
        var itemCount = panelCount * chunkCount;
        var work = (long)a.RowCount * b.ColumnCount * Math.Max(a.PairCount, 1);
        var threads = work < ParallelThreshold || itemCount < 2 ? 1 : KernelThreadPool.UsableThreads(threadCount);
        fixed (int* rows = a.Data)
        fixed (int* columns = b.Data)
        {
            var job = new Job<TEpilogue>(rows, a, columns, b, epilogue, vector && Avx2.IsSupported, vector && UsesAvxVnni);
            if (threads <= 1 || !KernelThreadPool.Shared.TryRun(new ParallelJob<TEpilogue>(job), itemCount))
            {
                for (var i = 0; i < itemCount; i++)
                    job.Execute(i);
            }
        }
    }

    /// <summary>C [a.RowCount × b.ColumnCount] = A · B as int32, row-major into <paramref name="destination"/>.</summary>
    public static void MultiplyToInt32(Int8PackedRows a, Int8PackedColumns b, Span<int> destination, int threadCount, bool vector)
    {
        if (destination.Length < (long)a.RowCount * b.ColumnCount)
            Throw.ShapeMismatch($"int8 GEMM output holds {destination.Length} values; {(long)a.RowCount * b.ColumnCount} needed");
        fixed (int* c = destination)
            Run(a, b, new Int32StoreEpilogue(c, b.ColumnCount), threadCount, vector);
    }

    /// <summary>
    /// C = A · B requantized (see <see cref="RequantizeEpilogue{T}"/>) into <paramref name="destination"/> [RowCount × ColumnCount]
    /// (byte or sbyte), with multipliers and bias per row (<paramref name="perRow"/>) or per column, or one of each.
    /// </summary>
    public static void MultiplyRequantized<T>(Int8PackedRows a, Int8PackedColumns b, ReadOnlySpan<float> multipliers, ReadOnlySpan<int> bias,
        bool perRow, int zeroPoint, Span<T> destination, int threadCount, bool vector) where T : unmanaged
    {
        if (destination.Length < (long)a.RowCount * b.ColumnCount)
            Throw.ShapeMismatch($"int8 GEMM output holds {destination.Length} values; {(long)a.RowCount * b.ColumnCount} needed");
        fixed (T* c = destination)
        fixed (float* m = multipliers)
        fixed (int* add = bias)
            Run(a, b, new RequantizeEpilogue<T>(c, b.ColumnCount, 0, m, multipliers.Length, bias.IsEmpty ? null : add, perRow, zeroPoint),
                threadCount, vector);
    }

    readonly struct Job<TEpilogue>(int* rows, Int8PackedRows a, int* columns, Int8PackedColumns b, TEpilogue epilogue,
        bool vector, bool vnni)
        where TEpilogue : struct, IInt8Epilogue
    {
        // The tile is fully written by the micro-kernel before the epilogue reads it.
        [SkipLocalsInit]
        public void Execute(int index)
        {
            // Column chunks outermost, so a chunk of B (64 columns × depth) stays in L2 while the A panels stream past.
            var panelCount = (a.RowCount + PanelRows - 1) / PanelRows;
            var panel = index % panelCount;
            var columnStart = index / panelCount * ColumnChunk;
            var columnEnd = Math.Min(columnStart + ColumnChunk, b.ColumnCount);
            var row = panel * PanelRows;
            var rowCount = Math.Min(PanelRows, a.RowCount - row);
            var panelData = rows + (long)panel * a.PairCount * PanelRows;
            var tile = stackalloc int[PanelRows * TileColumns];
            var column = columnStart;
            if (vector && epilogue.TakesRowPairs && rowCount > 4)
            {
                // The chunk's full tiles in one call: with a small depth the call costs as much as the loop.
                var fullTiles = (columnEnd - columnStart) / TileColumns;
                if (fullTiles > 0)
                {
                    var first = columns + (long)(column / TileColumns) * a.PairCount * TileColumns;
                    if (vnni)
                        TilesVector256<TEpilogue, AvxVnniPairMultiplyAdd>(panelData, first, a.PairCount, row, rowCount, column, fullTiles, epilogue);
                    else
                        TilesVector256<TEpilogue, Avx2PairMultiplyAdd>(panelData, first, a.PairCount, row, rowCount, column, fullTiles, epilogue);
                    column += fullTiles * TileColumns;
                }
            }
            for (; column < columnEnd; column += TileColumns)
            {
                var width = Math.Min(TileColumns, columnEnd - column);
                var columnPanel = columns + (long)(column / TileColumns) * a.PairCount * TileColumns;
                if (vector)
                {
                    // Partial tiles go through memory, computing no more than they must: a 7×7 plane's 49th column alone, the
                    // last panel's 1–4 rows (QGemm's single row) alone. Padding columns and rows hold 0 products.
                    if (width <= ColumnKernelWidth)
                        ColumnsVector256(panelData, columnPanel, a.PairCount, width, tile);
                    else if (rowCount <= 2)
                        PartialRowTileVector256<TwoTileRows>(panelData, columnPanel, a.PairCount, tile);
                    else if (rowCount <= 4)
                        PartialRowTileVector256<FourTileRows>(panelData, columnPanel, a.PairCount, tile);
                    else if (vnni)
                        SixRowTileVector256<AvxVnniPairMultiplyAdd>(panelData, columnPanel, a.PairCount, width, tile);
                    else
                        SixRowTileVector256<Avx2PairMultiplyAdd>(panelData, columnPanel, a.PairCount, width, tile);
                    epilogue.WriteTile(row, rowCount, column, width, tile);
                }
                else
                {
                    TileScalar(panelData, columnPanel, a.PairCount, rowCount, width, tile);
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

    /// <summary>The reference micro-kernel: rowCount × width (≤ 6 × 16) of the packed product into <paramref name="tile"/>, rows 16 apart.</summary>
    static void TileScalar(int* panel, int* columns, int pairCount, int rowCount, int width, int* tile)
    {
        for (var r = 0; r < rowCount; r++)
        {
            for (var c = 0; c < width; c++)
            {
                var sum = 0;
                for (var p = 0; p < pairCount; p++)
                {
                    var a = panel[p * PanelRows + r];
                    var b = columns[p * TileColumns + c];
                    sum += (short)a * (short)b + (a >> 16) * (b >> 16);
                }
                tile[r * TileColumns + c] = sum;
            }
        }
    }

    /// <summary>
    /// The 256-bit micro-kernel (AVX2 or AVX-VNNI multiply-add step): <paramref name="tileCount"/> consecutive 6 × 16 tiles of the packed product, rows [row, row + rowCount),
    /// each handed to the epilogue straight from the accumulator registers two rows at a time.
    /// </summary>
    /// <remarks>
    /// 12 accumulators + 2 B vectors + 1 broadcast: 15 of the 16 ymm registers. Six rows rather than four cut the B loads and
    /// loop overhead per multiply-add. <see cref="IInt8Epilogue.WriteRowPair"/> is inlined and must not call out: vectors live
    /// across a call are spilled by the JIT at their definition, inside the loop.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void TilesVector256<TEpilogue, TMultiplyAdd>(int* panel, int* columns, int pairCount, int row, int rowCount, int column, int tileCount,
        TEpilogue epilogue)
        where TEpilogue : struct, IInt8Epilogue
        where TMultiplyAdd : struct, IInt8PairMultiplyAdd
    {
        for (var t = 0; t < tileCount; t++, column += TileColumns, columns += pairCount * TileColumns)
        {
            Vector256<int> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
            Vector256<int> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
            var a = panel;
            var b = columns;
            for (var p = 0; p < pairCount; p++, a += PanelRows, b += TileColumns)
            {
                var b0 = Avx.LoadVector256(b).AsInt16();
                var b1 = Avx.LoadVector256(b + 8).AsInt16();
                var a0 = Vector256.Create(a[0]).AsInt16();
                c00 = TMultiplyAdd.Invoke(c00, b0, a0);
                c01 = TMultiplyAdd.Invoke(c01, b1, a0);
                var a1 = Vector256.Create(a[1]).AsInt16();
                c10 = TMultiplyAdd.Invoke(c10, b0, a1);
                c11 = TMultiplyAdd.Invoke(c11, b1, a1);
                var a2 = Vector256.Create(a[2]).AsInt16();
                c20 = TMultiplyAdd.Invoke(c20, b0, a2);
                c21 = TMultiplyAdd.Invoke(c21, b1, a2);
                var a3 = Vector256.Create(a[3]).AsInt16();
                c30 = TMultiplyAdd.Invoke(c30, b0, a3);
                c31 = TMultiplyAdd.Invoke(c31, b1, a3);
                var a4 = Vector256.Create(a[4]).AsInt16();
                c40 = TMultiplyAdd.Invoke(c40, b0, a4);
                c41 = TMultiplyAdd.Invoke(c41, b1, a4);
                var a5 = Vector256.Create(a[5]).AsInt16();
                c50 = TMultiplyAdd.Invoke(c50, b0, a5);
                c51 = TMultiplyAdd.Invoke(c51, b1, a5);
            }
            epilogue.WriteRowPair(row, rowCount > 1, column, c00, c01, c10, c11);
            if (rowCount > 2)
                epilogue.WriteRowPair(row + 2, rowCount > 3, column, c20, c21, c30, c31);
            if (rowCount > 4)
                epilogue.WriteRowPair(row + 4, rowCount > 5, column, c40, c41, c50, c51);
        }
    }

    /// <summary>A full panel's partial tile (narrow, or per-column multipliers) into <paramref name="tile"/>, rows 16 apart.</summary>
    static void SixRowTileVector256<TMultiplyAdd>(int* panel, int* columns, int pairCount, int width, int* tile)
        where TMultiplyAdd : struct, IInt8PairMultiplyAdd
    {
        if (width > 8)
            TilesVector256<Int32StoreEpilogue, TMultiplyAdd>(panel, columns, pairCount, 0, PanelRows, 0, 1, new Int32StoreEpilogue(tile, TileColumns));
        else
            NarrowTileVector256<TMultiplyAdd>(panel, columns, pairCount, tile);
    }

    /// <summary>The AVX2 micro-kernel for tiles of at most 8 columns: 6 × 8 of the packed product into <paramref name="tile"/>, rows 16 apart.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void NarrowTileVector256<TMultiplyAdd>(int* panel, int* columns, int pairCount, int* tile)
        where TMultiplyAdd : struct, IInt8PairMultiplyAdd
    {
        Vector256<int> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default;
        var a = panel;
        var b = columns;
        for (var p = 0; p < pairCount; p++, a += PanelRows, b += TileColumns)
        {
            var b0 = Avx.LoadVector256(b).AsInt16();
            c0 = TMultiplyAdd.Invoke(c0, b0, Vector256.Create(a[0]).AsInt16());
            c1 = TMultiplyAdd.Invoke(c1, b0, Vector256.Create(a[1]).AsInt16());
            c2 = TMultiplyAdd.Invoke(c2, b0, Vector256.Create(a[2]).AsInt16());
            c3 = TMultiplyAdd.Invoke(c3, b0, Vector256.Create(a[3]).AsInt16());
            c4 = TMultiplyAdd.Invoke(c4, b0, Vector256.Create(a[4]).AsInt16());
            c5 = TMultiplyAdd.Invoke(c5, b0, Vector256.Create(a[5]).AsInt16());
        }
        Avx.Store(tile, c0);
        Avx.Store(tile + 16, c1);
        Avx.Store(tile + 32, c2);
        Avx.Store(tile + 48, c3);
        Avx.Store(tile + 64, c4);
        Avx.Store(tile + 80, c5);
    }

    /// <summary>
    /// The AVX2 micro-kernel for a panel's last rows: <typeparamref name="TRows"/> (2 or 4) × 16 of the packed product into
    /// <paramref name="tile"/>, rows 16 apart; the JIT compiles one body per height and drops the unused accumulators.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void PartialRowTileVector256<TRows>(int* panel, int* columns, int pairCount, int* tile)
        where TRows : IGemmTileRows
    {
        Vector256<int> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector256<int> c20 = default, c21 = default, c30 = default, c31 = default;
        var a = panel;
        var b = columns;
        for (var p = 0; p < pairCount; p++, a += PanelRows, b += TileColumns)
        {
            var b0 = Avx.LoadVector256(b).AsInt16();
            var b1 = Avx.LoadVector256(b + 8).AsInt16();
            var a0 = Vector256.Create(a[0]).AsInt16();
            c00 = Avx2.Add(c00, Avx2.MultiplyAddAdjacent(b0, a0));
            c01 = Avx2.Add(c01, Avx2.MultiplyAddAdjacent(b1, a0));
            var a1 = Vector256.Create(a[1]).AsInt16();
            c10 = Avx2.Add(c10, Avx2.MultiplyAddAdjacent(b0, a1));
            c11 = Avx2.Add(c11, Avx2.MultiplyAddAdjacent(b1, a1));
            if (TRows.Count > 2)
            {
                var a2 = Vector256.Create(a[2]).AsInt16();
                c20 = Avx2.Add(c20, Avx2.MultiplyAddAdjacent(b0, a2));
                c21 = Avx2.Add(c21, Avx2.MultiplyAddAdjacent(b1, a2));
                var a3 = Vector256.Create(a[3]).AsInt16();
                c30 = Avx2.Add(c30, Avx2.MultiplyAddAdjacent(b0, a3));
                c31 = Avx2.Add(c31, Avx2.MultiplyAddAdjacent(b1, a3));
            }
        }
        Avx.Store(tile, c00);
        Avx.Store(tile + 8, c01);
        Avx.Store(tile + 16, c10);
        Avx.Store(tile + 24, c11);
        if (TRows.Count > 2)
        {
            Avx.Store(tile + 32, c20);
            Avx.Store(tile + 40, c21);
            Avx.Store(tile + 48, c30);
            Avx.Store(tile + 56, c31);
        }
    }

    /// <summary>
    /// The AVX2 micro-kernel for tiles of at most <see cref="ColumnKernelWidth"/> columns, vectorized over the panel's rows instead:
    /// per pair, one load of the six rows' A pairs (and two lanes of the next pair, whose products are dropped) times the
    /// column's B pair broadcast. Writes 6 × width into <paramref name="tile"/>, rows 16 apart.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void ColumnsVector256(int* panel, int* columns, int pairCount, int width, int* tile)
    {
        // The last pair's eight-lane load would read two ints past the panel (past the array for the last panel): masked.
        var lastMask = Vector256.Create(-1, -1, -1, -1, -1, -1, 0, 0);
        var sums = stackalloc Vector256<int>[ColumnKernelWidth];
        for (var c = 0; c < width; c++)
        {
            var sum = Vector256<int>.Zero;
            var a = panel;
            var b = columns + c;
            var p = 0;
            for (; p + 1 < pairCount; p++, a += PanelRows, b += TileColumns)
                sum = Avx2.Add(sum, Avx2.MultiplyAddAdjacent(Avx.LoadVector256(a).AsInt16(), Vector256.Create(*b).AsInt16()));
            if (p < pairCount)
                sum = Avx2.Add(sum, Avx2.MultiplyAddAdjacent(Avx2.MaskLoad(a, lastMask).AsInt16(), Vector256.Create(*b).AsInt16()));
            sums[c] = sum;
        }
        for (var c = 0; c < width; c++)
        {
            for (var r = 0; r < PanelRows; r++)
                tile[r * TileColumns + c] = sums[c].GetElement(r);
        }
    }
}

/// <summary>Receives the int32 results of <see cref="Int8Gemm"/>.</summary>
unsafe interface IInt8Epilogue
{
    /// <summary><c>values</c> are C[row, column..column + values.Length).</summary>
    void Write(int row, int column, ReadOnlySpan<int> values);

    /// <summary>
    /// C[row + r, column..column + width) = tile[r · 16..r · 16 + width) for r &lt; rowCount (the AVX2 micro-kernel's tile;
    /// width ≤ 16, and the 16 values of every row are readable).
    /// </summary>
    void WriteTile(int row, int rowCount, int column, int width, int* tile);

    /// <summary>Whether full 16-column tiles may go through <see cref="WriteRowPair"/>.</summary>
    bool TakesRowPairs { get; }

    /// <summary>
    /// C[row, column..column + 16) = (first0, first1) and, when <paramref name="pair"/>, C[row + 1, …] = (second0, second1):
    /// columns 0–7 and 8–15 of two accumulator rows. Inlined into the micro-kernel, so it must not call out (see
    /// <see cref="Int8Gemm"/>'s TileVector256).
    /// </summary>
    void WriteRowPair(int row, bool pair, int column, Vector256<int> first0, Vector256<int> first1, Vector256<int> second0,
        Vector256<int> second1);
}

/// <summary>
/// The left operand of <see cref="Int8Gemm"/>: A [RowCount × Depth] minus its zero point, as int16 pairs along k,
/// in panels of 6 rows: Data[(panel · PairCount + pair) · 6 + r] = (A[6·panel + r, 2·pair] | A[…, 2·pair + 1] ≪ 16).
/// Rows past RowCount and the odd k past Depth are zeros.
/// </summary>
sealed class Int8PackedRows(int[] data, int rowCount, int depth)
{
    public int[] Data { get; } = data;
    public int RowCount { get; } = rowCount;
    public int Depth { get; } = depth;
    public int PairCount => (Depth + 1) / 2;

    public static int Length(int rowCount, int depth) => (rowCount + Int8Gemm.PanelRows - 1) / Int8Gemm.PanelRows * Int8Gemm.PanelRows * ((depth + 1) / 2);

    /// <summary>
    /// Packs A[r, k] = source[r · rowStride + k · depthStride] − zeroPoints[r or 0] (T is byte or sbyte) into
    /// <paramref name="destination"/> (at least <see cref="Length"/> ints).
    /// </summary>
    public static Int8PackedRows Pack<T>(ReadOnlySpan<T> source, int rowCount, int depth, int rowStride, int depthStride,
        ReadOnlySpan<int> zeroPoints, int[] destination) where T : unmanaged
    {
        var pairCount = (depth + 1) / 2;
        var panelCount = (rowCount + Int8Gemm.PanelRows - 1) / Int8Gemm.PanelRows;
        for (var panel = 0; panel < panelCount; panel++)
        {
            var panelData = destination.AsSpan(panel * pairCount * Int8Gemm.PanelRows, pairCount * Int8Gemm.PanelRows);
            for (var r = 0; r < Int8Gemm.PanelRows; r++)
            {
                var row = panel * Int8Gemm.PanelRows + r;
                if (row >= rowCount)
                {
                    for (var p = 0; p < pairCount; p++)
                        panelData[p * Int8Gemm.PanelRows + r] = 0;
                    continue;
                }
                var zero = zeroPoints.IsEmpty ? 0 : zeroPoints[zeroPoints.Length == 1 ? 0 : row];
                var offset = row * rowStride;
                for (var p = 0; p < pairCount; p++)
                {
                    var k = 2 * p;
                    var low = Int8Values.Read(source, offset + k * depthStride) - zero;
                    var high = k + 1 < depth ? Int8Values.Read(source, offset + (k + 1) * depthStride) - zero : 0;
                    panelData[p * Int8Gemm.PanelRows + r] = (ushort)low | high << 16;
                }
            }
        }
        return new Int8PackedRows(destination, rowCount, depth);
    }
}

/// <summary>
/// The right operand of <see cref="Int8Gemm"/>: B [Depth × ColumnCount] minus its zero points, as int16 pairs along k,
/// in panels of 16 columns: Data[(panel · PairCount + pair) · 16 + c] = (B[2·pair, 16·panel + c] | B[2·pair + 1, …] ≪ 16),
/// so a micro-kernel tile reads one contiguous run. Columns past ColumnCount and the odd k past Depth are zeros.
/// </summary>
sealed class Int8PackedColumns(int[] data, int depth, int columnCount)
{
    public int[] Data { get; } = data;
    public int Depth { get; } = depth;
    public int ColumnCount { get; } = columnCount;
    public int PairCount => (Depth + 1) / 2;

    public static int Length(int depth, int columnCount) =>
        (columnCount + Int8Gemm.TileColumns - 1) / Int8Gemm.TileColumns * Int8Gemm.TileColumns * ((depth + 1) / 2);

    /// <summary>Index in Data of the pair holding B[k, column] (low half for even k, high half for odd k).</summary>
    public static int PairIndex(int pair, int column, int pairCount) =>
        ((column >> 4) * pairCount + pair) * Int8Gemm.TileColumns + (column & (Int8Gemm.TileColumns - 1));

    /// <summary>
    /// Packs B[k, c] = source[k · depthStride + c · columnStride] − zeroPoints[c or 0] (T is byte or sbyte) into
    /// <paramref name="destination"/> (at least <see cref="Length"/> ints).
    /// </summary>
    public static Int8PackedColumns Pack<T>(ReadOnlySpan<T> source, int depth, int columnCount, int depthStride, int columnStride,
        ReadOnlySpan<int> zeroPoints, int[] destination) where T : unmanaged
    {
        var pairCount = (depth + 1) / 2;
        destination.AsSpan(0, Length(depth, columnCount)).Clear();
        for (var p = 0; p < pairCount; p++)
        {
            var k = 2 * p;
            for (var c = 0; c < columnCount; c++)
            {
                var zero = zeroPoints.IsEmpty ? 0 : zeroPoints[zeroPoints.Length == 1 ? 0 : c];
                var low = Int8Values.Read(source, k * depthStride + c * columnStride) - zero;
                var high = k + 1 < depth ? Int8Values.Read(source, (k + 1) * depthStride + c * columnStride) - zero : 0;
                destination[PairIndex(p, c, pairCount)] = (ushort)low | high << 16;
            }
        }
        return new Int8PackedColumns(destination, depth, columnCount);
    }
}

/// <summary>Reads byte or sbyte elements as ints.</summary>
static class Int8Values
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Read<T>(ReadOnlySpan<T> source, int index) where T : unmanaged
    {
        if (typeof(T) == typeof(byte))
            return Unsafe.As<T, byte>(ref Unsafe.AsRef(in source[index]));
        if (typeof(T) == typeof(sbyte))
            return Unsafe.As<T, sbyte>(ref Unsafe.AsRef(in source[index]));
        if (typeof(T) == typeof(int))
            return Unsafe.As<T, int>(ref Unsafe.AsRef(in source[index]));
        throw new NotSupportedException(typeof(T).Name);
    }
}
