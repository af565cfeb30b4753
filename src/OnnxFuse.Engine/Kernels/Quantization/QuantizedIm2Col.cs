using System.Runtime.InteropServices;
using OnnxFuse.Engine.Kernels.Conv;

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
}
