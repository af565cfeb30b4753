using System.Buffers;
using System.Runtime.InteropServices;
using OnnxFuse.Engine.Kernels.Conv;

namespace OnnxFuse.Engine.Kernels.Quantization;

/// <summary>
/// Direct depthwise quantized convolution (one input and one output channel per group):
/// acc[n, c, oy, ox] = Σ_{ky,kx} (x[n, c, iy, ix] − x_zero_point) · (w[c, 0, ky, kx] − w_zero_point[c]), padding contributing 0,
/// one channel at a time, written through <see cref="QuantizedConvTarget"/>.
/// </summary>
static class QuantizedDepthwiseConv
{
    public static void Run(ReadOnlySpan<byte> x, bool xSigned, int xZeroPoint, ReadOnlySpan<byte> w, bool wSigned, ReadOnlySpan<int> wZeros,
        in ConvParameters p, QuantizedConvTarget target)
    {
        var spatial = p.OutputHeight * p.OutputWidth;
        var window = p.KernelHeight * p.KernelWidth;
        var accumulators = ArrayPool<int>.Shared.Rent(spatial + window);
        try
        {
            var sums = accumulators.AsSpan(0, spatial);
            var taps = accumulators.AsSpan(spatial, window);
            var plane = p.InputHeight * p.InputWidth;
            for (var n = 0; n < p.BatchCount; n++)
            {
                for (var c = 0; c < p.OutputChannelCount; c++)
                {
                    var wZero = wZeros.IsEmpty ? 0 : wZeros[wZeros.Length == 1 ? 0 : c];
                    for (var t = 0; t < window; t++)
                        taps[t] = (wSigned ? (sbyte)w[c * window + t] : w[c * window + t]) - wZero;
                    var input = x.Slice((n * p.InputChannelCount + c) * plane, plane);
                    if (xSigned)
                        Channel(MemoryMarshal.Cast<byte, sbyte>(input), xZeroPoint, taps, p, sums);
                    else
                        Channel(input, xZeroPoint, taps, p, sums);
                    target.WriteChannel(n, c, sums);
                }
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(accumulators);
        }
    }

    static void Channel<T>(ReadOnlySpan<T> input, int zeroPoint, ReadOnlySpan<int> taps, in ConvParameters p, Span<int> sums) where T : unmanaged
    {
        var outputWidth = p.OutputWidth;
        sums.Clear();
        for (var ky = 0; ky < p.KernelHeight; ky++)
        {
            for (var kx = 0; kx < p.KernelWidth; kx++)
            {
                var tap = taps[ky * p.KernelWidth + kx];
                for (var oy = 0; oy < p.OutputHeight; oy++)
                {
                    var iy = oy * p.StrideHeight - p.PadTop + ky * p.DilationHeight;
                    if ((uint)iy >= (uint)p.InputHeight)
                        continue;
                    var line = iy * p.InputWidth;
                    var row = sums.Slice(oy * outputWidth, outputWidth);
                    for (var ox = 0; ox < outputWidth; ox++)
                    {
                        var ix = ox * p.StrideWidth - p.PadLeft + kx * p.DilationWidth;
                        if ((uint)ix < (uint)p.InputWidth)
                            row[ox] += (Int8Values.Read(input, line + ix) - zeroPoint) * tap;
                    }
                }
            }
        }
    }
}
