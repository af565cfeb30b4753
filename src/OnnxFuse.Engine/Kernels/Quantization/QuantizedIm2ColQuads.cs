using System.Buffers;
using OnnxFuse.Engine.Kernels.Conv;

namespace OnnxFuse.Engine.Kernels.Quantization;

/// <summary>
/// im2col for one group of one image into <see cref="Int8QuadColumns"/> form, for the AVX-VNNI quad route: B[k, j] = x[c, iy, ix]
/// as stored (its zero point kept apart; int8 with the sign bit flipped), k and j as in <see cref="QuantizedIm2Col"/>. Padding
/// holds the zero point, so that B − zb is 0 there as the definition's padding contributes 0.
/// </summary>
static class QuantizedIm2ColQuads
{
    /// <summary>
    /// Packs the patch matrix of <c>source</c>, the group's input channels [C/group, H, W] (uint8, or int8 when
    /// <paramref name="signed"/>), with x's <paramref name="zeroPoint"/>; <paramref name="vector"/> as in <see cref="Int8QuadColumns.Pack"/>.
    /// </summary>
    public static Int8QuadColumns Pack(ReadOnlySpan<byte> source, bool signed, int zeroPoint, in ConvParameters p, int[] destination, bool vector)
    {
        var spatial = p.OutputHeight * p.OutputWidth;
        var depth = p.PatchSize;
        if (p.IsPointwise && p.DilationHeight == 1 && p.DilationWidth == 1)
            return Int8QuadColumns.Pack(source[..(depth * spatial)], signed, zeroPoint, depth, spatial, destination, vector, p.ThreadCount);
        var patches = ArrayPool<byte>.Shared.Rent(depth * spatial);
        try
        {
            QuantizedIm2Col.ExpandPatches(source, (byte)zeroPoint, p, patches);
            return Int8QuadColumns.Pack(patches.AsSpan(0, depth * spatial), signed, zeroPoint, depth, spatial, destination, vector, p.ThreadCount);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(patches);
        }
    }
}
