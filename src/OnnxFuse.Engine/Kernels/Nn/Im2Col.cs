namespace OnnxFuse.Engine.Kernels.Nn;

/// <summary>
/// Unfolds a [channelCount, height, width] image into columns [channelCount · kernelHeight · kernelWidth,
/// outputHeight · outputWidth] so a convolution becomes one matrix product; padding reads as zero.
/// </summary>
static class Im2Col
{
    public static void Run(ReadOnlySpan<float> image, int channelCount, int height, int width, int kernelHeight, int kernelWidth,
        int strideHeight, int strideWidth, int dilationHeight, int dilationWidth, int padTop, int padLeft,
        int outputHeight, int outputWidth, Span<float> columns)
    {
        var outputSize = outputHeight * outputWidth;
        var row = 0;
        for (var channel = 0; channel < channelCount; channel++)
        {
            var plane = image.Slice(channel * height * width, height * width);
            for (var kh = 0; kh < kernelHeight; kh++)
            {
                for (var kw = 0; kw < kernelWidth; kw++, row++)
                {
                    var target = columns.Slice(row * outputSize, outputSize);
                    var columnOffset = kw * dilationWidth - padLeft;
                    // Output columns whose input column lies inside the image: [first, last).
                    var first = Math.Max(0, CeilDiv(-columnOffset, strideWidth));
                    var last = Math.Min(outputWidth, CeilDiv(width - columnOffset, strideWidth));
                    if (last < first)
                        last = first;
                    for (var oh = 0; oh < outputHeight; oh++)
                    {
                        var line = target.Slice(oh * outputWidth, outputWidth);
                        var ih = oh * strideHeight - padTop + kh * dilationHeight;
                        if ((uint)ih >= (uint)height)
                        {
                            line.Clear();
                            continue;
                        }
                        var source = plane.Slice(ih * width, width);
                        line[..first].Clear();
                        line[last..].Clear();
                        if (strideWidth == 1)
                            source.Slice(first + columnOffset, last - first).CopyTo(line[first..last]);
                        else
                        {
                            for (var ow = first; ow < last; ow++)
                                line[ow] = source[ow * strideWidth + columnOffset];
                        }
                    }
                }
            }
        }
    }

    static int CeilDiv(int value, int divisor) => value >= 0 ? (value + divisor - 1) / divisor : -(-value / divisor);
}
