using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using OnnxFuse.Engine.Kernels.Elementwise;
using OnnxFuse.Engine.Simd;
using OnnxFuse.Ir.Errors;

namespace OnnxFuse.Engine.Kernels.Conv;

/// <summary>
/// Direct depthwise convolution (GroupCount = InputChannelCount = OutputChannelCount, shapes in
/// <see cref="ConvParameters"/>): each output row starts at the bias and accumulates, for every kernel tap, the
/// weight times the matching input row segment, y[oy, ox] += w[kh, kw] · x[iy, ox·sw + kw·dw − pl]. With stride 1
/// the segment is contiguous and the update is a Vector512/Vector256 axpy; other strides gather scalars. The
/// activation runs on the finished row while it is in L1.
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
                    line.Fill(start);
                    for (var kh = 0; kh < p.KernelHeight; kh++)
                    {
                        var iy = oy * p.StrideHeight - p.PadTop + kh * p.DilationHeight;
                        if ((uint)iy >= (uint)p.InputHeight)
                            continue;
                        var source = image.Slice(iy * p.InputWidth, p.InputWidth);
                        for (var kw = 0; kw < p.KernelWidth; kw++)
                        {
                            var offset = kw * p.DilationWidth - p.PadLeft;
                            var first = Math.Clamp(CeilDiv(-offset, p.StrideWidth), 0, outputWidth);
                            var last = Math.Clamp(CeilDiv(p.InputWidth - offset, p.StrideWidth), first, outputWidth);
                            var w = kernel[kh * p.KernelWidth + kw];
                            if (p.StrideWidth == 1)
                                Axpy(source.Slice(first + offset, last - first), w, width, line[first..last]);
                            else
                            {
                                for (var ox = first; ox < last; ox++)
                                    line[ox] += w * source[ox * p.StrideWidth + offset];
                            }
                        }
                    }
                    if (p.Activation.Kind != ActivationKind.None)
                        ActivationKernel.Run(line, p.Activation, line);
                }
            }
        }
    }

    /// <summary>y += w · x.</summary>
    static void Axpy(ReadOnlySpan<float> x, float w, SimdWidth width, Span<float> y)
    {
        ref var xs = ref MemoryMarshal.GetReference(x);
        ref var ys = ref MemoryMarshal.GetReference(y);
        var length = (nuint)x.Length;
        nuint i = 0;
        if (width >= SimdWidth.Vector512)
        {
            var scale = Vector512.Create(w);
            for (; i + 16 <= length; i += 16)
                Vector512.MultiplyAddEstimate(Vector512.LoadUnsafe(ref xs, i), scale, Vector512.LoadUnsafe(ref ys, i)).StoreUnsafe(ref ys, i);
        }
        if (width >= SimdWidth.Vector256)
        {
            var scale = Vector256.Create(w);
            for (; i + 8 <= length; i += 8)
                Vector256.MultiplyAddEstimate(Vector256.LoadUnsafe(ref xs, i), scale, Vector256.LoadUnsafe(ref ys, i)).StoreUnsafe(ref ys, i);
        }
        for (; i < length; i++)
            y[(int)i] += w * x[(int)i];
    }

    static int CeilDiv(int numerator, int denominator) =>
        numerator >= 0 ? (numerator + denominator - 1) / denominator : -(-numerator / denominator);
}
