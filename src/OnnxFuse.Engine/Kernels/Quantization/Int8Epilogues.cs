using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace OnnxFuse.Engine.Kernels.Quantization;

/// <summary>Stores the int32 accumulators: destination[(row + RowOffset) · rowStride + column] (MatMulInteger, ConvInteger).</summary>
unsafe readonly struct Int32StoreEpilogue(int* destination, int rowStride) : IInt8Epilogue
{
    public void Write(int row, int column, ReadOnlySpan<int> values) =>
        values.CopyTo(new Span<int>(destination + (long)row * rowStride + column, values.Length));

    public void WriteTile(int row, int rowCount, int column, int width, int* tile)
    {
        for (var r = 0; r < rowCount; r++)
            Write(row + r, column, new ReadOnlySpan<int>(tile + r * Int8Gemm.TileColumns, width));
    }

    public bool TakesRowPairs => true;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteRowPair(int row, bool pair, int column, Vector256<int> first0, Vector256<int> first1, Vector256<int> second0,
        Vector256<int> second1)
    {
        var target = destination + (long)row * rowStride + column;
        Avx.Store(target, first0);
        Avx.Store(target + 8, first1);
        if (pair)
        {
            Avx.Store(target + rowStride, second0);
            Avx.Store(target + rowStride + 8, second1);
        }
    }
}

/// <summary>
/// Requantizes as it stores: y = saturate(round_half_even((acc + bias[ch]) · multiplier[ch]) + zeroPoint), with
/// multiplier = a_scale · b_scale[ch] / y_scale computed in float32 (as ONNX Runtime does), ch the row
/// (<c>perRow</c>, QLinearConv's output channel) or the column (QLinearMatMul's per-column B scale, QGemm's bias). A
/// single multiplier applies to every channel; a null bias adds nothing. T is byte or sbyte.
/// </summary>
unsafe readonly struct RequantizeEpilogue<T>(T* destination, int rowStride, int rowOffset, float* multipliers, int multiplierCount,
    int* bias, bool perRow, int zeroPoint) : IInt8Epilogue where T : unmanaged
{
    static float Min => typeof(T) == typeof(byte) ? 0f : -128f;
    static float Max => typeof(T) == typeof(byte) ? 255f : 127f;

    /// <summary>Whether one multiplier and one bias serve a whole row: per-row channels, or a single multiplier and no bias.</summary>
    bool RowUniform => perRow || (multiplierCount == 1 && bias is null);

    public void Write(int row, int column, ReadOnlySpan<int> values)
    {
        var globalRow = row + rowOffset;
        var target = destination + (long)globalRow * rowStride + column;
        var i = 0;
        if (RowUniform)
        {
            var multiplier = multipliers[multiplierCount == 1 ? 0 : globalRow];
            var offset = bias is null ? 0 : bias[globalRow];
            if (Avx.IsSupported && Simd.SimdCapability.Width >= Simd.SimdWidth.Vector256)
            {
                var scale = Vector256.Create(multiplier);
                var add = Vector256.Create(offset);
                var zero = Vector256.Create(zeroPoint);
                // Clamping before rounding is exact since the bounds are integers; cvtps2dq then rounds half to even
                // (the default MXCSR mode) without the fix-ups of .NET's saturating Vector256.ConvertToInt32.
                var low = Vector256.Create(Min - zeroPoint);
                var high = Vector256.Create(Max - zeroPoint);
                fixed (int* source = values)
                {
                    // 32 at a time: four vectors share one narrowing chain and one 32-byte store.
                    for (; i + 32 <= values.Length; i += 32)
                    {
                        var q0 = Avx.ConvertToVector256Int32(Avx.Min(Avx.Max(Avx.ConvertToVector256Single(Avx.LoadVector256(source + i) + add) * scale, low), high)) + zero;
                        var q1 = Avx.ConvertToVector256Int32(Avx.Min(Avx.Max(Avx.ConvertToVector256Single(Avx.LoadVector256(source + i + 8) + add) * scale, low), high)) + zero;
                        var q2 = Avx.ConvertToVector256Int32(Avx.Min(Avx.Max(Avx.ConvertToVector256Single(Avx.LoadVector256(source + i + 16) + add) * scale, low), high)) + zero;
                        var q3 = Avx.ConvertToVector256Int32(Avx.Min(Avx.Max(Avx.ConvertToVector256Single(Avx.LoadVector256(source + i + 24) + add) * scale, low), high)) + zero;
                        Store32(q0, q1, q2, q3, target + i);
                    }
                }
                for (; i + 8 <= values.Length; i += 8)
                    *(long*)(target + i) = RequantizeToBytes(Vector256.Create(values.Slice(i, 8)), add, scale, low, high, zero);
                if (i < values.Length)
                {
                    // The 1–7 left over (a 7×7 plane's last one, a 14×14's last four) through a copy, not one by one.
                    var count = values.Length - i;
                    var rest = Vector256<int>.Zero;
                    values[i..].CopyTo(new Span<int>(&rest, 8));
                    var bytes = RequantizeToBytes(rest, add, scale, low, high, zero);
                    Buffer.MemoryCopy(&bytes, target + i, count * sizeof(T), count * sizeof(T));
                    i = values.Length;
                }
            }
            for (; i < values.Length; i++)
                target[i] = Quantize(values[i] + offset, multiplier);
        }
        else
        {
            if (Avx2.IsSupported && Simd.SimdCapability.Width >= Simd.SimdWidth.Vector256)
            {
                // Per-column multipliers and bias (QGemm, QLinearMatMul): the same eight-wide step with the columns' values in the lanes.
                var zero = Vector256.Create(zeroPoint);
                var low = Vector256.Create(Min - zeroPoint);
                var high = Vector256.Create(Max - zeroPoint);
                var single = Vector256.Create(multipliers[0]);
                for (; i + 8 <= values.Length; i += 8)
                {
                    var add = bias is null ? Vector256<int>.Zero : Avx.LoadVector256(bias + column + i);
                    var scale = multiplierCount == 1 ? single : Avx.LoadVector256(multipliers + column + i);
                    *(long*)(target + i) = RequantizeToBytes(Vector256.Create(values.Slice(i, 8)), add, scale, low, high, zero);
                }
            }
            for (; i < values.Length; i++)
                target[i] = Quantize(values[i] + (bias is null ? 0 : bias[column + i]), multipliers[multiplierCount == 1 ? 0 : column + i]);
        }
    }

    /// <summary>
    /// Tiles with one multiplier per row (or one in all) go two rows at a time: (acc + bias) · multiplier through
    /// <see cref="RequantizeNarrowing"/>, whose saturating packs save <see cref="Write"/>'s float clamp pair and its int32
    /// zero-point add.
    /// </summary>
    public void WriteTile(int row, int rowCount, int column, int width, int* tile)
    {
        if (!RowUniform || !Avx2.IsSupported)
        {
            for (var r = 0; r < rowCount; r++)
                Write(row + r, column, new ReadOnlySpan<int>(tile + r * Int8Gemm.TileColumns, width));
            return;
        }
        for (var r = 0; r < rowCount; r += 2)
        {
            // An odd last row is paired with itself and its copy dropped.
            var pair = r + 1 < rowCount;
            var firstValues = tile + r * Int8Gemm.TileColumns;
            var secondValues = pair ? firstValues + Int8Gemm.TileColumns : firstValues;
            var rows = RowPairBytes(row + r, pair, Avx.LoadVector256(firstValues), Avx.LoadVector256(firstValues + 8),
                Avx.LoadVector256(secondValues), Avx.LoadVector256(secondValues + 8));
            var target = (byte*)(destination + (long)(row + r + rowOffset) * rowStride + column);
            if (width == Int8Gemm.TileColumns)
            {
                Sse2.Store(target, rows.GetLower());
                if (pair)
                    Sse2.Store(target + rowStride, rows.GetUpper());
            }
            else
            {
                // A narrower tile must not write past its columns: they belong to the next row (or the next thread's chunk).
                var copy = rows;
                Buffer.MemoryCopy(&copy, target, width, width);
                if (pair)
                    Buffer.MemoryCopy((byte*)&copy + 16, target + rowStride, width, width);
            }
        }
    }

    public bool TakesRowPairs => RowUniform;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteRowPair(int row, bool pair, int column, Vector256<int> first0, Vector256<int> first1, Vector256<int> second0,
        Vector256<int> second1)
    {
        var rows = RowPairBytes(row, pair, first0, first1, second0, second1);
        var target = (byte*)(destination + (long)(row + rowOffset) * rowStride + column);
        Sse2.Store(target, rows.GetLower());
        if (pair)
            Sse2.Store(target + rowStride, rows.GetUpper());
    }

    /// <summary>Rows <paramref name="row"/> and row + 1 (or row again unless <paramref name="pair"/>) requantized: 16 bytes each, in the low and high lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    Vector256<byte> RowPairBytes(int row, bool pair, Vector256<int> first0, Vector256<int> first1, Vector256<int> second0, Vector256<int> second1)
    {
        var first = row + rowOffset;
        var second = pair ? first + 1 : first;
        var single = multiplierCount == 1;
        var zero = Vector256.Create((short)zeroPoint);
        var firstScale = Vector256.Create(multipliers[single ? 0 : first]);
        var secondScale = Vector256.Create(multipliers[single ? 0 : second]);
        var firstBias = Vector256.Create(bias is null ? 0 : bias[first]);
        var secondBias = Vector256.Create(bias is null ? 0 : bias[second]);
        var firstShorts = RequantizeNarrowing.ToShorts(Scaled(first0, firstBias, firstScale), Scaled(first1, firstBias, firstScale), zero);
        var secondShorts = RequantizeNarrowing.ToShorts(Scaled(second0, secondBias, secondScale), Scaled(second1, secondBias, secondScale), zero);
        var bytes = RequantizeNarrowing.ToBytes<T>(firstShorts, secondShorts).AsInt32();
        // The packs interleave 4-byte groups per 128-bit lane; vpermd puts the first row in the low lane, the second in the high.
        return Avx2.PermuteVar8x32(bytes, Vector256.Create(0, 4, 1, 5, 2, 6, 3, 7)).AsByte();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static Vector256<float> Scaled(Vector256<int> accumulators, Vector256<int> bias, Vector256<float> scale) =>
        Avx.ConvertToVector256Single(accumulators + bias) * scale;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    T Quantize(int accumulator, float multiplier)
    {
        var value = Math.Clamp(MathF.Round(accumulator * multiplier, MidpointRounding.ToEven) + zeroPoint, Min, Max);
        var integer = (int)value;
        return Unsafe.As<int, T>(ref integer);
    }

    /// <summary>Narrows 4 × 8 clamped ints to 32 bytes in order: the packs interleave 4-int groups per lane, vpermd sorts them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Store32(Vector256<int> q0, Vector256<int> q1, Vector256<int> q2, Vector256<int> q3, T* target)
    {
        var s01 = Avx2.PackSignedSaturate(q0, q1);
        var s23 = Avx2.PackSignedSaturate(q2, q3);
        var bytes = typeof(T) == typeof(byte)
            ? Avx2.PackUnsignedSaturate(s01, s23).AsInt32()
            : Avx2.PackSignedSaturate(s01, s23).AsInt32();
        Avx.Store((int*)target, Avx2.PermuteVar8x32(bytes, Vector256.Create(0, 4, 1, 5, 2, 6, 3, 7)));
    }

    /// <summary>
    /// Eight int32 accumulators requantized: <paramref name="add"/> (the bias) added in int32, scaled in float32, clamped to the
    /// output range less the zero point (exact before rounding, since the bounds are integers), rounded half to even by
    /// cvtps2dq, the zero point added, narrowed to eight bytes. The depthwise float-sums route's sink for biases past the folding
    /// bound (<see cref="Int32BiasRequantizedPlaneSink{T}"/>) calls it too, so both give the same bytes by construction.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static long RequantizeToBytes(Vector256<int> accumulators, Vector256<int> add, Vector256<float> scale, Vector256<float> low,
        Vector256<float> high, Vector256<int> zero)
    {
        var scaled = Avx.ConvertToVector256Single(accumulators + add) * scale;
        var values = Avx.ConvertToVector256Int32(Avx.Min(Avx.Max(scaled, low), high)) + zero;
        // Already in the byte range, so packing with saturation only narrows; vpermq puts the two lanes' four shorts together.
        var shorts = Avx2.PackSignedSaturate(values, values);
        var lanes = Avx2.Permute4x64(shorts.AsInt64(), 0b11_01_10_00).AsInt16().GetLower();
        var bytes = typeof(T) == typeof(byte)
            ? Sse2.PackUnsignedSaturate(lanes, lanes).AsInt64()
            : Sse2.PackSignedSaturate(lanes, lanes).AsInt64();
        return bytes.ToScalar();
    }
}
