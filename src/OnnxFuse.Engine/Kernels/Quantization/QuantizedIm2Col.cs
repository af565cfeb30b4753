using System.Buffers;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using OnnxFuse.Engine.Kernels.Conv;
using OnnxFuse.Engine.Kernels.Threading;
using OnnxFuse.Ir.Errors;

namespace OnnxFuse.Engine.Kernels.Quantization;

/// <summary>
/// im2col for one group of one image, straight into <see cref="Int8PackedColumns"/> form: B[k, j] = x[c, iy, ix] − zeroPoint
/// with k = (c, ky, kx) over the group's patch, j = (oy, ox), iy = oy·strideH − padTop + ky·dilationH (likewise ix);
/// positions in the padding are 0, the value a padded x_zero_point has after subtraction. The vector path runs on
/// <see cref="ConvParameters.ThreadCount"/> threads above <see cref="ParallelThreshold"/>: the patch rows split by output
/// rows, the pair interleaving by 16-column panels (a serial layout left the second thread idle before the threaded GEMM).
/// </summary>
static unsafe class QuantizedIm2Col
{
    /// <summary>Fewest patch elements (depth × spatial) worth splitting: below it (the 14² and 7² layers) the fork/join costs more than it saves.</summary>
    const long ParallelThreshold = 1 << 15;

    /// <summary>Packs the patch matrix of <c>source</c>, the group's input channels [C/group, H, W] (byte or sbyte).</summary>
    public static Int8PackedColumns Pack<T>(ReadOnlySpan<T> source, int zeroPoint, in ConvParameters p, int[] destination) where T : unmanaged =>
        Pack(source, zeroPoint, p, destination, Int8Gemm.UsesVector256);

    /// <summary>As above, choosing the vector path (where AVX2 is supported) or the scalar reference <see cref="PackScalar{T}"/>.</summary>
    public static Int8PackedColumns Pack<T>(ReadOnlySpan<T> source, int zeroPoint, in ConvParameters p, int[] destination, bool vector)
        where T : unmanaged
    {
        var spatial = p.OutputHeight * p.OutputWidth;
        var depth = p.PatchSize;
        vector &= Avx2.IsSupported;
        if (p.IsPointwise && p.DilationHeight == 1 && p.DilationWidth == 1)
        {
            PackRows(MemoryMarshal.AsBytes(source), typeof(T) == typeof(sbyte), zeroPoint, depth, spatial, destination, vector, p.ThreadCount);
            return new Int8PackedColumns(destination, depth, spatial);
        }
        if (!vector)
            return PackScalar(source, zeroPoint, p, destination);
        // Two passes beat one scattered pass: the patch rows as bytes (contiguous copies, stride 2 by narrowing), then the
        // same pair interleaving a 1×1 convolution uses.
        var patches = ArrayPool<byte>.Shared.Rent(depth * spatial);
        try
        {
            ExpandPatches(MemoryMarshal.AsBytes(source), (byte)zeroPoint, p, patches);
            PackRows(patches, typeof(T) == typeof(sbyte), zeroPoint, depth, spatial, destination, vector: true, p.ThreadCount);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(patches);
        }
        return new Int8PackedColumns(destination, depth, spatial);
    }

    /// <summary>The reference: every patch element written to its packed position one at a time.</summary>
    public static Int8PackedColumns PackScalar<T>(ReadOnlySpan<T> source, int zeroPoint, in ConvParameters p, int[] destination) where T : unmanaged
    {
        var outputHeight = p.OutputHeight;
        var outputWidth = p.OutputWidth;
        var spatial = outputHeight * outputWidth;
        var depth = p.PatchSize;
        var pairCount = (depth + 1) / 2;
        var length = Int8PackedColumns.Length(depth, spatial);
        destination.AsSpan(0, length).Clear();
        var halves = MemoryMarshal.Cast<int, short>(destination.AsSpan(0, length));
        var window = p.KernelHeight * p.KernelWidth;
        for (var k = 0; k < depth; k++)
        {
            var channel = k / window;
            var ky = k % window / p.KernelWidth;
            var kx = k % p.KernelWidth;
            var half = k & 1;
            var pair = k >> 1;
            var plane = channel * p.InputHeight * p.InputWidth;
            for (var oy = 0; oy < outputHeight; oy++)
            {
                var iy = oy * p.StrideHeight - p.PadTop + ky * p.DilationHeight;
                if ((uint)iy >= (uint)p.InputHeight)
                    continue;
                var line = plane + iy * p.InputWidth;
                var j = oy * outputWidth;
                for (var ox = 0; ox < outputWidth; ox++)
                {
                    var ix = ox * p.StrideWidth - p.PadLeft + kx * p.DilationWidth;
                    if ((uint)ix < (uint)p.InputWidth)
                        halves[2 * Int8PackedColumns.PairIndex(pair, j + ox, pairCount) + half] = (short)(Int8Values.Read(source, line + ix) - zeroPoint);
                }
            }
        }
        return new Int8PackedColumns(destination, depth, spatial);
    }

    /// <summary>
    /// The patch matrix as raw elements: patches[k · spatial + j] = x[c, iy, ix], or the zero point's bits in the padding (so
    /// that subtracting the zero point later gives 0 there).
    /// </summary>
    public static void ExpandPatches(ReadOnlySpan<byte> source, byte zeroPoint, in ConvParameters p, byte[] patches)
    {
        var parts = Parts((long)p.PatchSize * p.OutputHeight * p.OutputWidth, p.OutputHeight, p.ThreadCount);
        if (parts > 1)
        {
            fixed (byte* input = source)
            {
                if (KernelThreadPool.Shared.TryRun(new ExpandJob(input, source.Length, zeroPoint, p, patches, parts), parts))
                    return;
            }
        }
        ExpandPatches(source, zeroPoint, p, patches, 0, p.OutputHeight);
    }

    /// <summary>The patch rows' output rows [firstRow, endRow).</summary>
    static void ExpandPatches(ReadOnlySpan<byte> source, byte zeroPoint, in ConvParameters p, Span<byte> patches, int firstRow, int endRow)
    {
        var outputWidth = p.OutputWidth;
        var spatial = p.OutputHeight * outputWidth;
        var window = p.KernelHeight * p.KernelWidth;
        for (var k = 0; k < p.PatchSize; k++)
        {
            var channel = k / window;
            var ky = k % window / p.KernelWidth;
            var kx = k % p.KernelWidth;
            var plane = channel * p.InputHeight * p.InputWidth;
            // Outputs [first, last) read inside the row: ix = ox·stride − padLeft + kx·dilation ∈ [0, W).
            var shift = kx * p.DilationWidth - p.PadLeft;
            var first = Math.Min(outputWidth, shift >= 0 ? 0 : (-shift + p.StrideWidth - 1) / p.StrideWidth);
            var last = Math.Max(first, Math.Min(outputWidth, p.InputWidth - 1 - shift < 0 ? 0 : (p.InputWidth - 1 - shift) / p.StrideWidth + 1));
            for (var oy = firstRow; oy < endRow; oy++)
            {
                var row = patches.Slice(k * spatial + oy * outputWidth, outputWidth);
                var iy = oy * p.StrideHeight - p.PadTop + ky * p.DilationHeight;
                if ((uint)iy >= (uint)p.InputHeight)
                {
                    row.Fill(zeroPoint);
                    continue;
                }
                row[..first].Fill(zeroPoint);
                row[last..].Fill(zeroPoint);
                var line = source.Slice(plane + iy * p.InputWidth);
                var start = first * p.StrideWidth + shift;
                if (p.StrideWidth == 1)
                    line.Slice(start, last - first).CopyTo(row[first..]);
                else if (p.StrideWidth == 2)
                    CopyEvens(line[start..], row[first..last]);
                else
                {
                    for (var ox = first; ox < last; ox++)
                        row[ox] = line[start + (ox - first) * p.StrideWidth];
                }
            }
        }
    }

    /// <summary>destination[i] = source[2i]: 16 at a time by dropping the high byte of each 16-bit pair.</summary>
    static void CopyEvens(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        var i = 0;
        var mask = Vector128.Create((ushort)0xFF);
        for (; i + 16 <= destination.Length && 2 * i + 32 <= source.Length; i += 16)
        {
            var low = Vector128.Create(source.Slice(2 * i, 16)).AsUInt16() & mask;
            var high = Vector128.Create(source.Slice(2 * i + 16, 16)).AsUInt16() & mask;
            Vector128.Narrow(low, high).CopyTo(destination[i..]);
        }
        for (; i < destination.Length; i++)
            destination[i] = source[2 * i];
    }

    /// <summary>
    /// Packs rows [depth × spatial] (the input of a 1×1 convolution, or expanded patches): interleave row pairs, 16 columns at
    /// a time. Every element is written, so only the last panel's columns past <paramref name="spatial"/> are cleared.
    /// </summary>
    static void PackRows(ReadOnlySpan<byte> bytes, bool signed, int zeroPoint, int depth, int spatial, int[] destination, bool vector,
        int threadCount)
    {
        var panelCount = (spatial + Int8Gemm.TileColumns - 1) / Int8Gemm.TileColumns;
        var parts = Parts((long)depth * spatial, panelCount, threadCount);
        if (parts > 1)
        {
            fixed (byte* rows = bytes)
            {
                var job = new PackJob(rows, bytes.Length, signed, zeroPoint, depth, spatial, destination, vector, parts);
                if (KernelThreadPool.Shared.TryRun(job, parts))
                    return;
            }
        }
        PackRows(bytes, signed, zeroPoint, depth, spatial, destination, vector, 0, spatial);
    }

    /// <summary>Columns [firstColumn, endColumn) of the rows; firstColumn starts a 16-column panel.</summary>
    static void PackRows(ReadOnlySpan<byte> bytes, bool signed, int zeroPoint, int depth, int spatial, int[] destination, bool vector,
        int firstColumn, int endColumn)
    {
        var pairCount = (depth + 1) / 2;
        if (bytes.Length < (long)depth * spatial || destination.Length < Int8PackedColumns.Length(depth, spatial))
            Throw.ShapeMismatch($"int8 im2col: {bytes.Length} patch bytes and {destination.Length} packed ints for depth {depth} × {spatial} columns");
        if (endColumn == spatial)
        {
            var paddedSpatial = (spatial + Int8Gemm.TileColumns - 1) / Int8Gemm.TileColumns * Int8Gemm.TileColumns;
            for (var pair = 0; pair < pairCount; pair++)
            {
                for (var j = spatial; j < paddedSpatial; j++)
                    destination[Int8PackedColumns.PairIndex(pair, j, pairCount)] = 0;
            }
        }
        var halves = MemoryMarshal.Cast<int, short>(destination.AsSpan());
        var zero = Vector256.Create((short)zeroPoint);
        for (var pair = 0; pair < pairCount; pair++)
        {
            var low = 2 * pair * spatial;
            var hasHigh = 2 * pair + 1 < depth;
            var j = firstColumn;
            if (vector && j + 16 <= endColumn)
            {
                // Raw pointers: the lengths were checked above (whole panels inside both spans), and span slicing per 16 columns
                // cost as much as the arithmetic.
                fixed (byte* rows = bytes)
                fixed (int* packed = destination)
                {
                    var lowRow = rows + low;
                    var highRow = hasHigh ? lowRow + spatial : lowRow;
                    // Consecutive 16-column panels of one pair lie pairCount · 16 ints apart.
                    var target = (short*)(packed + Int8PackedColumns.PairIndex(pair, j, pairCount));
                    for (; j + 16 <= endColumn; j += 16, target += 2 * pairCount * Int8Gemm.TileColumns)
                    {
                        var first = Widen(lowRow + j, signed) - zero;
                        var second = hasHigh ? Widen(highRow + j, signed) - zero : Vector256<short>.Zero;
                        // unpacklo/hi work within 128-bit lanes: lanes hold columns 0–3 | 8–11 and 4–7 | 12–15.
                        var lo = Avx2.UnpackLow(first, second);
                        var hi = Avx2.UnpackHigh(first, second);
                        Avx.Store(target, Avx2.Permute2x128(lo, hi, 0x20));
                        Avx.Store(target + 16, Avx2.Permute2x128(lo, hi, 0x31));
                    }
                }
            }
            for (; j < endColumn; j++)
            {
                var index = 2 * Int8PackedColumns.PairIndex(pair, j, pairCount);
                halves[index] = (short)(Read(bytes[low + j], signed) - zeroPoint);
                halves[index + 1] = hasHigh ? (short)(Read(bytes[low + spatial + j], signed) - zeroPoint) : (short)0;
            }
        }
    }

    static int Read(byte value, bool signed) => signed ? (sbyte)value : value;

    /// <summary>Threads worth using for <paramref name="elements"/> patch elements cut into <paramref name="items"/> pieces.</summary>
    static int Parts(long elements, int items, int threadCount) =>
        elements < ParallelThreshold ? 1 : Math.Min(KernelThreadPool.UsableThreads(threadCount), items);

    /// <summary>One range of output rows of <see cref="ExpandPatches(ReadOnlySpan{byte}, byte, in ConvParameters, byte[])"/> per index.</summary>
    sealed class ExpandJob(byte* source, int sourceLength, byte zeroPoint, ConvParameters parameters, byte[] patches, int parts) : IParallelWork
    {
        public void Execute(int index)
        {
            var (firstRow, endRow) = EvenSplit.Range(parameters.OutputHeight, index, parts);
            ExpandPatches(new ReadOnlySpan<byte>(source, sourceLength), zeroPoint, parameters, patches, firstRow, endRow);
        }
    }

    /// <summary>One range of whole 16-column panels of <see cref="PackRows(ReadOnlySpan{byte}, bool, int, int, int, int[], bool, int)"/> per index.</summary>
    sealed class PackJob(byte* rows, int rowsLength, bool signed, int zeroPoint, int depth, int spatial, int[] destination, bool vector, int parts)
        : IParallelWork
    {
        public void Execute(int index)
        {
            var panelCount = (spatial + Int8Gemm.TileColumns - 1) / Int8Gemm.TileColumns;
            var (firstColumn, endColumn) = EvenSplit.TileRange(panelCount, Int8Gemm.TileColumns, spatial, index, parts);
            PackRows(new ReadOnlySpan<byte>(rows, rowsLength), signed, zeroPoint, depth, spatial, destination, vector, firstColumn, endColumn);
        }
    }

    static Vector256<short> Widen(byte* values, bool signed) => signed
        ? Avx2.ConvertToVector256Int16((sbyte*)values)
        : Avx2.ConvertToVector256Int16(values);
}
