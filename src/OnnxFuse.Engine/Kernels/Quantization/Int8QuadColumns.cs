using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using OnnxFuse.Engine.Kernels.Threading;

namespace OnnxFuse.Engine.Kernels.Quantization;

/// <summary>
/// The unsigned operand of <see cref="Int8GemmQuads"/>: B [Depth × ColumnCount] as u8 with its zero point kept apart (B − zb need
/// not fit a byte), in panels of 16 columns with k in quads: Data[(panel · QuadCount + quad) · 16 + c] holds B[4·quad + i, 16·panel + c]
/// in byte i. int8 B is stored with its sign bit flipped (B + 128) and ZeroPoint zb + 128, which leaves B − zb unchanged.
/// Columns past ColumnCount and k past Depth are zeros.
/// </summary>
sealed class Int8QuadColumns(int[] data, int depth, int columnCount, int zeroPoint)
{
    const int Columns = Int8Gemm.TileColumns;

    /// <summary>Fewest elements worth packing on several threads.</summary>
    const long ParallelThreshold = 1 << 15;

    public int[] Data { get; } = data;
    public int Depth { get; } = depth;
    public int ColumnCount { get; } = columnCount;

    /// <summary>The zero point of the stored u8 values.</summary>
    public int ZeroPoint { get; } = zeroPoint;

    public int QuadCount => (Depth + 3) / 4;

    public static int Length(int depth, int columnCount) => (columnCount + Columns - 1) / Columns * Columns * ((depth + 3) / 4);

    /// <summary>
    /// Packs rows [depth × columnCount] of uint8 or (<paramref name="signed"/>) int8 values with zero point
    /// <paramref name="zeroPoint"/>, row k at rows[k · columnCount], into <paramref name="destination"/> (at least
    /// <see cref="Length"/> ints), on up to <paramref name="threadCount"/> threads; <paramref name="vector"/> chooses the
    /// SSE2 interleave (where supported) or the reference <see cref="PackScalar"/>.
    /// </summary>
    public static unsafe Int8QuadColumns Pack(ReadOnlySpan<byte> rows, bool signed, int zeroPoint, int depth, int columnCount,
        int[] destination, bool vector, int threadCount)
    {
        var packed = new Int8QuadColumns(destination, depth, columnCount, signed ? zeroPoint + 128 : zeroPoint);
        if (!vector || !Sse2.IsSupported)
            return PackScalar(rows, signed, zeroPoint, depth, columnCount, destination);
        var panelCount = (columnCount + Columns - 1) / Columns;
        var parts = (long)depth * columnCount < ParallelThreshold ? 1 : Math.Min(KernelThreadPool.UsableThreads(threadCount), panelCount);
        if (parts > 1)
        {
            fixed (byte* source = rows)
            {
                if (KernelThreadPool.Shared.TryRun(new PackJob(source, rows.Length, signed, depth, columnCount, destination, parts), parts))
                    return packed;
            }
        }
        PackPanels(rows, signed, depth, columnCount, destination, 0, columnCount);
        return packed;
    }

    /// <summary>The reference: every element written to its packed position one at a time.</summary>
    public static Int8QuadColumns PackScalar(ReadOnlySpan<byte> rows, bool signed, int zeroPoint, int depth, int columnCount, int[] destination)
    {
        var quadCount = (depth + 3) / 4;
        var bytes = MemoryMarshal.AsBytes(destination.AsSpan(0, Length(depth, columnCount)));
        bytes.Clear();
        var flip = signed ? 0x80 : 0;
        for (var k = 0; k < depth; k++)
        {
            for (var c = 0; c < columnCount; c++)
                bytes[4 * (((c / Columns * quadCount) + k / 4) * Columns + c % Columns) + k % 4] = (byte)(rows[k * columnCount + c] ^ flip);
        }
        return new Int8QuadColumns(destination, depth, columnCount, signed ? zeroPoint + 128 : zeroPoint);
    }

    /// <summary>Columns [firstColumn, endColumn) (firstColumn starts a panel): four rows of 16 bytes interleaved into 16 quads at a time.</summary>
    static void PackPanels(ReadOnlySpan<byte> rows, bool signed, int depth, int columnCount, int[] destination, int firstColumn, int endColumn)
    {
        var quadCount = (depth + 3) / 4;
        var flip = Vector128.Create(signed ? (byte)0x80 : (byte)0);
        var output = MemoryMarshal.AsBytes(destination.AsSpan());
        for (var column = firstColumn; column < endColumn; column += Columns)
        {
            var width = Math.Min(Columns, endColumn - column);
            var panel = output.Slice(4 * column * quadCount);
            for (var quad = 0; quad < quadCount; quad++)
            {
                var target = panel.Slice(4 * Columns * quad, 4 * Columns);
                var k = 4 * quad;
                if (width < Columns)
                {
                    target.Clear();
                    for (var i = 0; i < 4 && k + i < depth; i++)
                    {
                        for (var c = 0; c < width; c++)
                            target[4 * c + i] = (byte)(rows[(k + i) * columnCount + column + c] ^ flip[0]);
                    }
                    continue;
                }
                var r0 = Row(rows, k, depth, columnCount, column, flip);
                var r1 = Row(rows, k + 1, depth, columnCount, column, flip);
                var r2 = Row(rows, k + 2, depth, columnCount, column, flip);
                var r3 = Row(rows, k + 3, depth, columnCount, column, flip);
                var low01 = Sse2.UnpackLow(r0, r1).AsInt16();
                var high01 = Sse2.UnpackHigh(r0, r1).AsInt16();
                var low23 = Sse2.UnpackLow(r2, r3).AsInt16();
                var high23 = Sse2.UnpackHigh(r2, r3).AsInt16();
                Sse2.UnpackLow(low01, low23).AsByte().CopyTo(target);
                Sse2.UnpackHigh(low01, low23).AsByte().CopyTo(target[16..]);
                Sse2.UnpackLow(high01, high23).AsByte().CopyTo(target[32..]);
                Sse2.UnpackHigh(high01, high23).AsByte().CopyTo(target[48..]);
            }
        }
    }

    static Vector128<byte> Row(ReadOnlySpan<byte> rows, int k, int depth, int columnCount, int column, Vector128<byte> flip) =>
        k < depth ? Vector128.Create(rows.Slice(k * columnCount + column, Columns)) ^ flip : Vector128<byte>.Zero;

    /// <summary>One range of whole panels of <see cref="PackPanels"/> per index.</summary>
    sealed unsafe class PackJob(byte* rows, int rowsLength, bool signed, int depth, int columnCount, int[] destination, int parts)
        : IParallelWork
    {
        public void Execute(int index)
        {
            var panelCount = (columnCount + Columns - 1) / Columns;
            var (firstColumn, endColumn) = EvenSplit.TileRange(panelCount, Columns, columnCount, index, parts);
            PackPanels(new ReadOnlySpan<byte>(rows, rowsLength), signed, depth, columnCount, destination, firstColumn, endColumn);
        }
    }
}
