using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using OnnxFuse.Engine.Kernels.Elementwise;
using OnnxFuse.Engine.Kernels.Threading;
using OnnxFuse.Engine.Simd;
using OnnxFuse.Ir.Errors;

namespace OnnxFuse.Engine.Kernels.Conv;

/// <summary>
/// Direct depthwise convolution (GroupCount = InputChannelCount = OutputChannelCount, shapes in
/// <see cref="ConvParameters"/>): y[c, oy, ox] = act(bias[c] + Σ_{kh,kw} w[c, kh, kw] · x[c, oy·sh − pt + kh·dh, ox·sw − pl + kw·dw]).
/// 3×3 kernels with stride 1 or 2 and no dilation (MobileNet's) run <see cref="DepthwiseConv3x3Vector256"/>. Otherwise,
/// with stride 1 or 2 the interior of each row runs eight outputs per Vector256 accumulator across all taps (a
/// Vector512 variant would only widen that loop; it is not written yet); borders and other strides run one scalar
/// accumulator per output. The activation runs on each finished channel plane while it is in cache.
/// </summary>
public static class DepthwiseConvKernel
{
    [ThreadStatic]
    static float[]? s_plane;

    [ThreadStatic]
    static float[]? s_padded;

    /// <summary>Below this many multiply-adds a call runs on one thread: the fork/join would cost more than it saves.</summary>
    const long ParallelThreshold = 1L << 17;

    /// <summary>Weights are unpacked, [C × kh × kw]. With several threads, whole channel planes are spread over them.</summary>
    public static unsafe void Run(ReadOnlySpan<float> input, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, in ConvParameters p, Span<float> output)
    {
        p.Validate(input.Length, bias.Length, output.Length);
        if (!p.IsDepthwise || weights.Length < p.WeightLength)
            Throw.ShapeMismatch($"Depthwise conv needs GroupCount = channels and {p.WeightLength} weights; got {p} with {weights.Length}.");
        var planeCount = p.BatchCount * p.InputChannelCount;
        var work = p.OutputLength * p.KernelHeight * p.KernelWidth;
        var threads = work < ParallelThreshold ? 1 : Math.Min(KernelThreadPool.UsableThreads(p.ThreadCount), planeCount);
        fixed (float* source = input, kernel = weights, biasValues = bias, target = output)
        {
            var job = new PlaneJob(source, kernel, bias.IsEmpty ? null : biasValues, target, p, planeCount, threads);
            if (threads <= 1 || !KernelThreadPool.Shared.TryRun(job, threads))
                RunPlanes(job.Operands, 0, planeCount);
        }
    }

    /// <summary>Channel planes [first, last) of the batch, each plane a (image, channel) pair.</summary>
    // Hot loops in methods entered a few times per call: compile them optimized at once instead of through OSR.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static unsafe void RunPlanes(in Operands o, int first, int last)
    {
        var p = o.Parameters;
        if (SimdCapability.Width >= SimdWidth.Vector256 && DepthwiseConv3x3Vector256.Applies(p))
        {
            // Relu and Clip (MobileNet's Relu6) run in the register before the store; others in a pass per plane.
            if (p.Activation.Kind == ActivationKind.Relu)
                RunPlanes3x3(o, first, last, default(ReluOp));
            else if (p.Activation.Kind == ActivationKind.Clip)
                RunPlanes3x3(o, first, last, new ClipOp(p.Activation.Alpha, p.Activation.Beta));
            else
                RunPlanes3x3(o, first, last, default(IdentityOp));
            return;
        }
        var (outputHeight, outputWidth) = (p.OutputHeight, p.OutputWidth);
        var inputPlane = p.InputHeight * p.InputWidth;
        var outputPlane = outputHeight * outputWidth;
        var taps = p.KernelHeight * p.KernelWidth;
        var width = SimdCapability.Width;
        var geometry = new Geometry(p);
        // Rows narrower than two vectors leave the row kernels mostly scalar borders: run whole padded planes instead.
        var smallPlanes = p.StrideHeight == 1 && p.StrideWidth == 1 && outputWidth < 2 * Vector256<float>.Count && width >= SimdWidth.Vector256;
        for (var plane = first; plane < last; plane++)
        {
            var c = plane % p.InputChannelCount;
            var image = o.Input + (nint)plane * inputPlane;
            var result = o.Output + (nint)plane * outputPlane;
            var kernelTaps = o.Weights + c * taps;
            var start = o.Bias == null ? 0f : o.Bias[c];
            if (smallPlanes)
            {
                PlaneStride1Vector256(image, kernelTaps, start, geometry, result);
            }
            else
            {
                for (var oy = 0; oy < outputHeight; oy++)
                {
                    var line = result + (nint)oy * outputWidth;
                    if (p.StrideWidth == 1 && width >= SimdWidth.Vector256)
                        RowStride1Vector256(image, kernelTaps, start, geometry, oy, line);
                    else if (p.StrideWidth == 2 && width >= SimdWidth.Vector256)
                        RowStride2Vector256(image, kernelTaps, start, geometry, oy, line);
                    else
                        RowScalar(image, kernelTaps, start, geometry, oy, 0, outputWidth, line);
                }
            }
            // Once per plane, not per row: rows are a few vectors long, so per-call costs outweighed the activation.
            if (p.Activation.Kind != ActivationKind.None)
                ActivationKernel.Run(new ReadOnlySpan<float>(result, outputPlane), p.Activation, new Span<float>(result, outputPlane));
        }
    }

    /// <summary>Channel planes [first, last) through <see cref="DepthwiseConv3x3Vector256"/>.</summary>
    static unsafe void RunPlanes3x3<TActivation>(in Operands o, int first, int last, TActivation activation)
        where TActivation : struct, Simd.IUnaryOp
    {
        var p = o.Parameters;
        var inputPlane = p.InputHeight * p.InputWidth;
        var outputPlane = p.OutputHeight * p.OutputWidth;
        var planeActivation = typeof(TActivation) == typeof(IdentityOp) && p.Activation.Kind != ActivationKind.None;
        var length = DepthwiseConv3x3Vector256.ScratchLength(p);
        var buffer = s_padded;
        if (buffer is null || buffer.Length < length)
            s_padded = buffer = new float[length];
        fixed (float* scratch = buffer)
        {
            for (var plane = first; plane < last; plane++)
            {
                var c = plane % p.InputChannelCount;
                var result = o.Output + (nint)plane * outputPlane;
                DepthwiseConv3x3Vector256.RunPlane(o.Input + (nint)plane * inputPlane, o.Weights + c * 9, o.Bias == null ? 0f : o.Bias[c], p,
                    activation, scratch, result);
                if (planeActivation)
                    ActivationKernel.Run(new ReadOnlySpan<float>(result, outputPlane), p.Activation, new Span<float>(result, outputPlane));
            }
        }
    }

    /// <summary>Pinned operands of one call, shared with the worker threads.</summary>
    unsafe readonly struct Operands(float* input, float* weights, float* bias, float* output, ConvParameters parameters)
    {
        public float* Input { get; } = input;
        public float* Weights { get; } = weights;
        public float* Bias { get; } = bias;
        public float* Output { get; } = output;
        public ConvParameters Parameters { get; } = parameters;
    }

    /// <summary>A contiguous range of channel planes per index.</summary>
    sealed unsafe class PlaneJob(float* input, float* weights, float* bias, float* output, ConvParameters parameters, int planeCount, int parts)
        : IParallelWork
    {
        public Operands Operands { get; } = new(input, weights, bias, output, parameters);

        public void Execute(int index)
        {
            var (start, end) = EvenSplit.Range(planeCount, index, parts);
            RunPlanes(Operands, start, end);
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
        public readonly int PadBottom = p.PadBottom;
        public readonly int PadRight = p.PadRight;
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

        var ox = interiorFirst;
        for (; ox + Vector256<float>.Count <= interiorLast; ox += Vector256<float>.Count)
            InteriorVector(image, taps, start, g, oy, ox).Store(line + ox);
        if (ox < interiorLast && interiorLast - interiorFirst >= Vector256<float>.Count)
        {
            // Tail: one more vector ending at interiorLast, overlapping outputs already stored (each output is
            // recomputed from the input, so writing it twice is harmless).
            ox = interiorLast - Vector256<float>.Count;
            InteriorVector(image, taps, start, g, oy, ox).Store(line + ox);
            return;
        }
        RowScalar(image, taps, start, g, oy, ox, interiorLast, line);
    }

    /// <summary>Outputs ox…ox+7 of row oy, every tap inside the image horizontally; the accumulator stays in a register.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static unsafe Vector256<float> InteriorVector(float* image, float* taps, float start, Geometry g, int oy, int ox)
    {
        var kernelWidth = g.KernelWidth;
        var dilation = g.DilationWidth;
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
        return sum;
    }

    /// <summary>
    /// Stride-1 plane for small images (7×7, 14×14): the plane is copied once into a zero-padded scratch plane of row
    /// length Wp = W + pl + pr, so every tap is in bounds; then outputs are computed on the padded grid as one flat
    /// run, tap (kh, kw) reading the scratch shifted by kh·dh·Wp + kw·dw, eight outputs per Vector256 accumulator;
    /// the valid OutputWidth columns of each padded row are copied out.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static unsafe void PlaneStride1Vector256(float* image, float* taps, float start, Geometry g, float* output)
    {
        var paddedWidth = g.InputWidth + g.PadLeft + g.PadRight;
        var paddedHeight = g.InputHeight + g.PadTop + g.PadBottom;
        var outputHeight = paddedHeight - (g.KernelHeight - 1) * g.DilationHeight;
        var runLength = outputHeight * paddedWidth;
        var vectorLength = (runLength + Vector256<float>.Count - 1) / Vector256<float>.Count * Vector256<float>.Count;
        // Vector reads run up to a vector past the padded plane's last row; the slack stays zero.
        var paddedLength = paddedHeight * paddedWidth + paddedWidth + 2 * Vector256<float>.Count;
        var buffer = s_plane;
        if (buffer is null || buffer.Length < paddedLength + vectorLength)
            s_plane = buffer = new float[paddedLength + vectorLength];
        fixed (float* scratch = buffer)
        {
            var padded = scratch;
            var run = scratch + paddedLength;
            new Span<float>(padded, paddedLength).Clear();
            for (var iy = 0; iy < g.InputHeight; iy++)
                new ReadOnlySpan<float>(image + (nint)iy * g.InputWidth, g.InputWidth).CopyTo(new Span<float>(padded + (nint)(iy + g.PadTop) * paddedWidth + g.PadLeft, g.InputWidth));
            for (var i = 0; i < vectorLength; i += Vector256<float>.Count)
            {
                var sum = Vector256.Create(start);
                for (var kh = 0; kh < g.KernelHeight; kh++)
                {
                    var source = padded + i + (nint)kh * g.DilationHeight * paddedWidth;
                    var weights = taps + kh * g.KernelWidth;
                    for (var kw = 0; kw < g.KernelWidth; kw++)
                        sum = Vector256.MultiplyAddEstimate(Vector256.Load(source + kw * g.DilationWidth), Vector256.Create(weights[kw]), sum);
                }
                sum.Store(run + i);
            }
            for (var oy = 0; oy < outputHeight; oy++)
                new ReadOnlySpan<float>(run + (nint)oy * paddedWidth, g.OutputWidth).CopyTo(new Span<float>(output + (nint)oy * g.OutputWidth, g.OutputWidth));
        }
    }

    /// <summary>
    /// Stride-2 row: as <see cref="RowStride1Vector256"/>, with each tap's eight inputs (every other element of sixteen
    /// consecutive ones) de-interleaved by two in-register shuffles; the loads must stay inside the input row, so
    /// the last few interior outputs and the borders run scalar.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static unsafe void RowStride2Vector256(float* image, float* taps, float start, Geometry g, int oy, float* line)
    {
        var outputWidth = g.OutputWidth;
        var kernelWidth = g.KernelWidth;
        var dilation = g.DilationWidth;
        var interiorFirst = Math.Min((g.PadLeft + 1) / 2, outputWidth);
        var interiorLast = Math.Clamp((g.InputWidth - 1 + g.PadLeft - (kernelWidth - 1) * dilation) / 2 + 1, interiorFirst, outputWidth);
        // The last vector start whose sixteen-wide loads end inside the row: 2·ox − pl + (kw − 1)·d + 15 ≤ W − 1.
        var lastVectorStart = g.InputWidth - 16 + g.PadLeft - (kernelWidth - 1) * dilation;
        lastVectorStart = lastVectorStart < 0 ? -1 : Math.Min(lastVectorStart / 2, interiorLast - Vector256<float>.Count);
        RowScalar(image, taps, start, g, oy, 0, interiorFirst, line);
        var ox = interiorFirst;
        for (; ox <= lastVectorStart; ox += Vector256<float>.Count)
            Stride2Vector(image, taps, start, g, oy, ox, line);
        if (ox < interiorLast && lastVectorStart >= interiorFirst)
        {
            // One more vector ending where the loads must stop, overlapping outputs already stored (each output
            // is recomputed from the input, so writing it twice is harmless).
            Stride2Vector(image, taps, start, g, oy, lastVectorStart, line);
            ox = lastVectorStart + Vector256<float>.Count;
        }
        RowScalar(image, taps, start, g, oy, ox, outputWidth, line);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static unsafe void Stride2Vector(float* image, float* taps, float start, Geometry g, int oy, int ox, float* line)
    {
        var even = Vector256.Create(0, 2, 4, 6, 0, 2, 4, 6);
        var sum = Vector256.Create(start);
        for (var kh = 0; kh < g.KernelHeight; kh++)
        {
            var iy = oy * g.StrideHeight - g.PadTop + kh * g.DilationHeight;
            if ((uint)iy >= (uint)g.InputHeight)
                continue;
            var source = image + (nint)iy * g.InputWidth + 2 * ox - g.PadLeft;
            var weights = taps + kh * g.KernelWidth;
            for (var kw = 0; kw < g.KernelWidth; kw++)
            {
                var at = source + kw * g.DilationWidth;
                var x = Vector256.Create(Vector256.Shuffle(Vector256.Load(at), even).GetLower(), Vector256.Shuffle(Vector256.Load(at + 8), even).GetLower());
                sum = Vector256.MultiplyAddEstimate(x, Vector256.Create(weights[kw]), sum);
            }
        }
        sum.Store(line + ox);
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
