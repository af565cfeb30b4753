using System.Runtime.Intrinsics;
using OnnxFuse.Engine.Kernels.Elementwise;
using OnnxFuse.Engine.Simd;
using OnnxFuse.Ir.Errors;

namespace OnnxFuse.Engine.Kernels.Conv;

/// <summary>
/// Direct depthwise convolution (GroupCount = InputChannelCount = OutputChannelCount, shapes in
/// <see cref="ConvParameters"/>): y[c, oy, ox] = act(bias[c] + Σ_{kh,kw} w[c, kh, kw] · x[c, oy·sh − pt + kh·dh, ox·sw − pl + kw·dw]).
/// With stride 1 the interior of each row runs eight outputs per Vector256 accumulator across all taps (a Vector512
/// variant would only widen that loop; it is not written yet); borders and other strides run one scalar
/// accumulator per output. The activation runs on the finished row while it is in L1.
/// </summary>
public static class DepthwiseConvKernel
{
    /// <summary>Weights are unpacked, [C × kh × kw].</summary>
    public static void Run(ReadOnlySpan<float> input, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, in ConvParameters p, Span<float> output)
    {
        p.Validate(input.Length, bias.Length, output.Length);
        if (!p.IsDepthwise || weights.Length < p.WeightLength)
            Throw.ShapeMismatch($"Depthwise conv needs GroupCount = channels and {p.WeightLength} weights; got {p} with {weights.Length}.");
        var (outputHeight, outputWidth) = (p.OutputHeight, p.OutputWidth);
        var inputPlane = p.InputHeight * p.InputWidth;
        var outputPlane = outputHeight * outputWidth;
        var taps = p.KernelHeight * p.KernelWidth;
        var width = SimdCapability.Width;
        for (var n = 0; n < p.BatchCount; n++)
        {
            for (var c = 0; c < p.InputChannelCount; c++)
            {
                var plane = n * p.InputChannelCount + c;
                var image = input.Slice(plane * inputPlane, inputPlane);
                var result = output.Slice(plane * outputPlane, outputPlane);
                var kernel = weights.Slice(c * taps, taps);
                var start = bias.IsEmpty ? 0f : bias[c];
                for (var oy = 0; oy < outputHeight; oy++)
                {
                    var line = result.Slice(oy * outputWidth, outputWidth);
                    if (p.StrideWidth == 1)
                        RowStride1(image, kernel, start, p, oy, width, line);
                    else
                        RowStrided(image, kernel, start, p, oy, line);
                    if (p.Activation.Kind != ActivationKind.None)
                        ActivationKernel.Run(line, p.Activation, line);
                }
            }
        }
    }

    /// <summary>
    /// Stride-1 row: in the interior (every tap inside the image) one vector of outputs keeps its accumulator in a
    /// register across all kh·kw taps, so each output is loaded and stored once; the borders go through
    /// <see cref="Pixel"/>.
    /// </summary>
    static unsafe void RowStride1(ReadOnlySpan<float> image, ReadOnlySpan<float> kernel, float start, in ConvParameters p, int oy, SimdWidth width, Span<float> line)
    {
        var outputWidth = line.Length;
        var interiorFirst = Math.Min(p.PadLeft, outputWidth);
        var interiorLast = Math.Clamp(p.InputWidth - (p.KernelWidth - 1) * p.DilationWidth + p.PadLeft, interiorFirst, outputWidth);
        for (var ox = 0; ox < interiorFirst; ox++)
            line[ox] = Pixel(image, kernel, start, p, oy, ox);
        for (var ox = interiorLast; ox < outputWidth; ox++)
            line[ox] = Pixel(image, kernel, start, p, oy, ox);

        var ox0 = interiorFirst;
        fixed (float* input = image, taps = kernel, output = line)
        {
            if (width >= SimdWidth.Vector256)
            {
                for (; ox0 + Vector256<float>.Count <= interiorLast; ox0 += Vector256<float>.Count)
                {
                    var sum = Vector256.Create(start);
                    for (var kh = 0; kh < p.KernelHeight; kh++)
                    {
                        var iy = oy * p.StrideHeight - p.PadTop + kh * p.DilationHeight;
                        if ((uint)iy >= (uint)p.InputHeight)
                            continue;
                        var source = input + (nint)iy * p.InputWidth + ox0 - p.PadLeft;
                        var weights = taps + kh * p.KernelWidth;
                        for (var kw = 0; kw < p.KernelWidth; kw++)
                            sum = Vector256.MultiplyAddEstimate(Vector256.Load(source + kw * p.DilationWidth), Vector256.Create(weights[kw]), sum);
                    }
                    sum.Store(output + ox0);
                }
            }
        }
        for (; ox0 < interiorLast; ox0++)
            line[ox0] = Pixel(image, kernel, start, p, oy, ox0);
    }

    /// <summary>Any stride: one accumulator per output across all taps.</summary>
    static void RowStrided(ReadOnlySpan<float> image, ReadOnlySpan<float> kernel, float start, in ConvParameters p, int oy, Span<float> line)
    {
        for (var ox = 0; ox < line.Length; ox++)
            line[ox] = Pixel(image, kernel, start, p, oy, ox);
    }

    static float Pixel(ReadOnlySpan<float> image, ReadOnlySpan<float> kernel, float start, in ConvParameters p, int oy, int ox)
    {
        var sum = start;
        for (var kh = 0; kh < p.KernelHeight; kh++)
        {
            var iy = oy * p.StrideHeight - p.PadTop + kh * p.DilationHeight;
            if ((uint)iy >= (uint)p.InputHeight)
                continue;
            var row = image.Slice(iy * p.InputWidth, p.InputWidth);
            for (var kw = 0; kw < p.KernelWidth; kw++)
            {
                var ix = ox * p.StrideWidth - p.PadLeft + kw * p.DilationWidth;
                if ((uint)ix < (uint)p.InputWidth)
                    sum += kernel[kh * p.KernelWidth + kw] * row[ix];
            }
        }
        return sum;
    }
}
