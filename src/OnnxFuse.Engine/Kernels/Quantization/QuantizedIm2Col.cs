using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using OnnxFuse.Engine.Kernels.Conv;
using OnnxFuse.Engine.Simd;

namespace OnnxFuse.Engine.Kernels.Quantization;

/// <summary>
/// im2col for one group of one image, straight into <see cref="Int8PackedColumns"/> form: B[k, j] = x[c, iy, ix] − zeroPoint
/// with k = (c, ky, kx) over the group's patch, j = (oy, ox), iy = oy·strideH − padTop + ky·dilationH (likewise ix);
/// positions in the padding are 0, the value a padded x_zero_point has after subtraction.
/// </summary>
static class QuantizedIm2Col
{
    /// <summary>Packs the patch matrix of <c>source</c>, the group's input channels [C/group, H, W] (byte or sbyte).</summary>
    public static Int8PackedColumns Pack<T>(ReadOnlySpan<T> source, int zeroPoint, in ConvParameters p, int[] destination) where T : unmanaged
    {
        var outputHeight = p.OutputHeight;
        var outputWidth = p.OutputWidth;
        var spatial = outputHeight * outputWidth;
        var depth = p.PatchSize;
        var pairCount = (depth + 1) / 2;
        var length = Int8PackedColumns.Length(depth, spatial);
        if (p.IsPointwise && p.DilationHeight == 1 && p.DilationWidth == 1)
        {
            PackPointwise(source, zeroPoint, depth, spatial, pairCount, destination);
            return new Int8PackedColumns(destination, depth, spatial);
        }
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
    /// A 1×1, stride-1, unpadded patch matrix is the input itself: interleave channel pairs, 16 columns at a time. Every
    /// element is written, so only the last panel's columns past <paramref name="spatial"/> are cleared.
    /// </summary>
    static void PackPointwise<T>(ReadOnlySpan<T> source, int zeroPoint, int depth, int spatial, int pairCount, int[] destination) where T : unmanaged
    {
        var paddedSpatial = (spatial + Int8Gemm.TileColumns - 1) / Int8Gemm.TileColumns * Int8Gemm.TileColumns;
        for (var pair = 0; pair < pairCount; pair++)
        {
            for (var j = spatial; j < paddedSpatial; j++)
                destination[Int8PackedColumns.PairIndex(pair, j, pairCount)] = 0;
        }
        var halves = MemoryMarshal.Cast<int, short>(destination.AsSpan());
        var zero = Vector256.Create((short)zeroPoint);
        var bytes = MemoryMarshal.AsBytes(source);
        for (var pair = 0; pair < pairCount; pair++)
        {
            var low = 2 * pair * spatial;
            var hasHigh = 2 * pair + 1 < depth;
            var j = 0;
            if (Avx2.IsSupported && SimdCapability.Width >= SimdWidth.Vector256)
            {
                for (; j + 16 <= spatial; j += 16)
                {
                    var first = Widen<T>(Vector128.Create(bytes.Slice(low + j, 16))) - zero;
                    var second = hasHigh ? Widen<T>(Vector128.Create(bytes.Slice(low + spatial + j, 16))) - zero : Vector256<short>.Zero;
                    // unpacklo/hi work within 128-bit lanes: lanes hold columns 0–3 | 8–11 and 4–7 | 12–15.
                    var lo = Avx2.UnpackLow(first, second);
                    var hi = Avx2.UnpackHigh(first, second);
                    var target = halves.Slice(2 * Int8PackedColumns.PairIndex(pair, j, pairCount), 32);
                    Avx2.Permute2x128(lo, hi, 0x20).CopyTo(target);
                    Avx2.Permute2x128(lo, hi, 0x31).CopyTo(target[16..]);
                }
            }
            for (; j < spatial; j++)
            {
                var index = 2 * Int8PackedColumns.PairIndex(pair, j, pairCount);
                halves[index] = (short)(Int8Values.Read(source, low + j) - zeroPoint);
                halves[index + 1] = hasHigh ? (short)(Int8Values.Read(source, low + spatial + j) - zeroPoint) : (short)0;
            }
        }
    }

    static Vector256<short> Widen<T>(Vector128<byte> values) => typeof(T) == typeof(sbyte)
        ? Avx2.ConvertToVector256Int16(values.AsSByte())
        : Avx2.ConvertToVector256Int16(values);
}
