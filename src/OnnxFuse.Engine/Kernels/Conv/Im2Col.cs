using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using OnnxFuse.Engine.Simd;

namespace OnnxFuse.Engine.Kernels.Conv;

/// <summary>
/// Lays out the receptive fields of one group of one image, output rows [firstRow, firstRow + rowCount), as a
/// [C/G·kh·kw × rowCount·OutputWidth] matrix (row (c, kh, kw), column (oy − firstRow, ox)), zeros where the field reads
/// padding, so Conv becomes W · columns.
/// </summary>
static class Im2Col
{
    public static void Run(ReadOnlySpan<float> image, in ConvParameters p, int firstRow, int rowCount, Span<float> columns)
    {
        var outputWidth = p.OutputWidth;
        var plane = p.InputHeight * p.InputWidth;
        var row = 0;
        for (var c = 0; c < p.GroupInputChannels; c++)
        {
            var channel = image.Slice(c * plane, plane);
            for (var kh = 0; kh < p.KernelHeight; kh++)
            {
                for (var kw = 0; kw < p.KernelWidth; kw++, row++)
                {
                    var target = columns.Slice(row * rowCount * outputWidth, rowCount * outputWidth);
                    var columnOffset = kw * p.DilationWidth - p.PadLeft;
                    // Output columns whose input column lies inside the image: ox in [first, last).
                    var first = Math.Clamp(CeilDiv(-columnOffset, p.StrideWidth), 0, outputWidth);
                    var last = Math.Clamp(CeilDiv(p.InputWidth - columnOffset, p.StrideWidth), first, outputWidth);
                    for (var oy = firstRow; oy < firstRow + rowCount; oy++)
                    {
                        var line = target.Slice((oy - firstRow) * outputWidth, outputWidth);
                        var iy = oy * p.StrideHeight - p.PadTop + kh * p.DilationHeight;
                        if ((uint)iy >= (uint)p.InputHeight)
                        {
                            line.Clear();
                            continue;
                        }
                        line[..first].Clear();
                        line[last..].Clear();
                        var source = channel.Slice(iy * p.InputWidth, p.InputWidth);
                        if (p.StrideWidth == 1)
                        {
                            source.Slice(first + columnOffset, last - first).CopyTo(line[first..last]);
                        }
                        else
                        {
                            var ox = first;
                            if (p.StrideWidth == 2 && SimdCapability.Width >= SimdWidth.Vector256)
                                ox = EveryOtherVector256(source, first, last, columnOffset, line);
                            for (; ox < last; ox++)
                                line[ox] = source[ox * p.StrideWidth + columnOffset];
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// line[ox] = source[2·ox + offset] eight outputs at a time (two loads, each de-interleaved in the register), while
    /// the sixteen-wide loads stay inside the row; returns the first ox left for the scalar loop.
    /// </summary>
    static int EveryOtherVector256(ReadOnlySpan<float> source, int first, int last, int offset, Span<float> line)
    {
        var even = Vector256.Create(0, 2, 4, 6, 1, 3, 5, 7);
        ref var from = ref MemoryMarshal.GetReference(source);
        ref var to = ref MemoryMarshal.GetReference(line);
        var ox = first;
        for (; ox + Vector256<float>.Count <= last && 2 * ox + offset + 2 * Vector256<float>.Count <= source.Length; ox += Vector256<float>.Count)
        {
            var start = (nuint)(2 * ox + offset);
            var low = Vector256.Shuffle(Vector256.LoadUnsafe(ref from, start), even);
            var high = Vector256.Shuffle(Vector256.LoadUnsafe(ref from, start + (nuint)Vector256<float>.Count), even);
            Vector256.Create(low.GetLower(), high.GetLower()).StoreUnsafe(ref to, (nuint)ox);
        }
        return ox;
    }

    static int CeilDiv(int numerator, int denominator) =>
        numerator >= 0 ? (numerator + denominator - 1) / denominator : -(-numerator / denominator);
}
