using System.Runtime.CompilerServices;
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
    // Hot loops in methods entered a few times per call: compile them optimized at once instead of through OSR.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static unsafe void Run(ReadOnlySpan<float> input, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, in ConvParameters p, Span<float> output)
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
                var geometry = new Geometry(p);
                fixed (float* source = image, kernelTaps = kernel, target = result)
                {
                    for (var oy = 0; oy < outputHeight; oy++)
                    {
                        var line = target + (nint)oy * outputWidth;
                        if (p.StrideWidth == 1 && width >= SimdWidth.Vector256)
                            RowStride1Vector256(source, kernelTaps, start, geometry, oy, line);
                        else
                            RowScalar(source, kernelTaps, start, geometry, oy, 0, outputWidth, line);
                        if (p.Activation.Kind != ActivationKind.None)
                            ActivationKernel.Run(new ReadOnlySpan<float>(line, outputWidth), p.Activation, new Span<float>(line, outputWidth));
                    }
                }
            }
        }
    }

    /// <summary>The convolution geometry copied into locals, so the JIT can keep it in registers next to raw stores.</summary>
    readonly struct Geometry(in ConvParameters p)
    {
        public readonly int InputHeight = p.InputHeight;
        public readonly int InputWidth = p.InputWidth;
        public readonly int OutputWidth = p.OutputWidth;
        public readonly int KernelHeight = p.KernelHeight;
        public readonly int KernelWidth = p.KernelWidth;
        public readonly int StrideHeight = p.StrideHeight;
        public readonly int StrideWidth = p.StrideWidth;
        public readonly int DilationHeight = p.DilationHeight;
        public readonly int DilationWidth = p.DilationWidth;
        public readonly int PadTop = p.PadTop;
        public readonly int PadLeft = p.PadLeft;
    }

    /// <summary>
    /// Stride-1 row: in the interior (every tap inside the image) one Vector256 of outputs keeps its accumulator in
    /// a register across all kh·kw taps, so each output is stored once; borders and the tail run scalar.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static unsafe void RowStride1Vector256(float* image, float* taps, float start, Geometry g, int oy, float* line)
    {
        var outputWidth = g.OutputWidth;
        var interiorFirst = Math.Min(g.PadLeft, outputWidth);
        var interiorLast = Math.Clamp(g.InputWidth - (g.KernelWidth - 1) * g.DilationWidth + g.PadLeft, interiorFirst, outputWidth);
        RowScalar(image, taps, start, g, oy, 0, interiorFirst, line);
        RowScalar(image, taps, start, g, oy, interiorLast, outputWidth, line);

        var kernelWidth = g.KernelWidth;
        var dilation = g.DilationWidth;
        var ox = interiorFirst;
        for (; ox + Vector256<float>.Count <= interiorLast; ox += Vector256<float>.Count)
        {
            var sum = Vector256.Create(start);
            for (var kh = 0; kh < g.KernelHeight; kh++)
            {
                var iy = oy * g.StrideHeight - g.PadTop + kh * g.DilationHeight;
                if ((uint)iy >= (uint)g.InputHeight)
                    continue;
                var source = image + (nint)iy * g.InputWidth + ox - g.PadLeft;
                var weights = taps + kh * kernelWidth;
                for (var kw = 0; kw < kernelWidth; kw++)
                    sum = Vector256.MultiplyAddEstimate(Vector256.Load(source + kw * dilation), Vector256.Create(weights[kw]), sum);
            }
            sum.Store(line + ox);
        }
        if (ox < interiorLast && interiorLast - interiorFirst >= Vector256<float>.Count)
        {
            // Tail: one more vector ending at interiorLast, overlapping outputs already stored (each output is
            // recomputed from the input, so writing it twice is harmless).
            ox = interiorLast - Vector256<float>.Count;
            var sum = Vector256.Create(start);
            for (var kh = 0; kh < g.KernelHeight; kh++)
            {
                var iy = oy * g.StrideHeight - g.PadTop + kh * g.DilationHeight;
                if ((uint)iy >= (uint)g.InputHeight)
                    continue;
                var source = image + (nint)iy * g.InputWidth + ox - g.PadLeft;
                var weights = taps + kh * kernelWidth;
                for (var kw = 0; kw < kernelWidth; kw++)
                    sum = Vector256.MultiplyAddEstimate(Vector256.Load(source + kw * dilation), Vector256.Create(weights[kw]), sum);
            }
            sum.Store(line + ox);
            return;
        }
        RowScalar(image, taps, start, g, oy, ox, interiorLast, line);
    }

    /// <summary>Outputs [first, last) of a row, one scalar accumulator each, any stride, bounds-checked taps.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static unsafe void RowScalar(float* image, float* taps, float start, Geometry g, int oy, int first, int last, float* line)
    {
        for (var ox = first; ox < last; ox++)
        {
            var sum = start;
            for (var kh = 0; kh < g.KernelHeight; kh++)
            {
                var iy = oy * g.StrideHeight - g.PadTop + kh * g.DilationHeight;
                if ((uint)iy >= (uint)g.InputHeight)
                    continue;
                var row = image + (nint)iy * g.InputWidth;
                var weights = taps + kh * g.KernelWidth;
                var ix = ox * g.StrideWidth - g.PadLeft;
                for (var kw = 0; kw < g.KernelWidth; kw++, ix += g.DilationWidth)
                {
                    if ((uint)ix < (uint)g.InputWidth)
                        sum += weights[kw] * row[ix];
                }
            }
            line[ox] = sum;
        }
    }
}
