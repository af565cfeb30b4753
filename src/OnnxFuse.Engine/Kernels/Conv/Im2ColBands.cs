using OnnxFuse.Engine.Kernels.Gemm;
using OnnxFuse.Engine.Kernels.Threading;

namespace OnnxFuse.Engine.Kernels.Conv;

/// <summary>
/// The im2col path of <see cref="ConvKernel"/> for one group of one image, in bands of output rows: each band's columns
/// ([C/G·kh·kw × rows·OutputWidth], about <see cref="BandBytes"/>) are laid out and multiplied while they are still in
/// L2, instead of laying out the whole image (1.35 MB for MobileNet's 3×3 stem) and streaming it back. With several
/// threads the bands are the parallel work items, so the layout is split as well as the GEMM (a threaded GEMM over one
/// column matrix leaves the layout on the calling thread).
/// </summary>
static class Im2ColBands
{
    const long BandBytes = 128 * 1024;

    [ThreadStatic]
    static float[]? s_columns;

    /// <summary>output [M/G × OutputHeight·OutputWidth] = act(weights · im2col(image) + bias) for one group of one image.</summary>
    public static unsafe void Run(ReadOnlySpan<float> image, PackedMatrix weights, ReadOnlySpan<float> bias, in ConvParameters p, Span<float> output)
    {
        var outputHeight = p.OutputHeight;
        var rowBytes = (long)p.PatchSize * p.OutputWidth * sizeof(float);
        var bandRows = (int)Math.Clamp(BandBytes / rowBytes, 1, outputHeight);
        var bandCount = (outputHeight + bandRows - 1) / bandRows;
        var work = (long)p.GroupOutputChannels * p.PatchSize * outputHeight * p.OutputWidth;
        var threads = work < GemmDriver.ParallelThreshold ? 1 : KernelThreadPool.UsableThreads(p.ThreadCount);
        fixed (float* source = image, biasValues = bias, target = output)
        {
            var job = new BandJob(new Operands(source, image.Length, weights, biasValues, bias.Length, target, output.Length, p), bandRows);
            if (threads > 1 && bandCount > 1)
            {
                // Whole rounds of equal bands, so every thread gets the same share.
                bandCount = (bandCount + threads - 1) / threads * threads;
                job = new BandJob(job.Operands, (outputHeight + bandCount - 1) / bandCount);
                if (KernelThreadPool.Shared.TryRun(job, (outputHeight + job.BandRows - 1) / job.BandRows))
                    return;
            }
            // One band: the GEMM may use the threads itself.
            var gemmThreads = bandCount == 1 ? p.ThreadCount : 1;
            for (var firstRow = 0; firstRow < outputHeight; firstRow += job.BandRows)
                RunBand(job.Operands, firstRow, Math.Min(job.BandRows, outputHeight - firstRow), gemmThreads);
        }
    }

    static unsafe void RunBand(in Operands o, int firstRow, int rowCount, int gemmThreads)
    {
        var p = o.Parameters;
        var spatial = p.OutputHeight * p.OutputWidth;
        var bandColumns = rowCount * p.OutputWidth;
        var length = p.PatchSize * bandColumns;
        var columns = s_columns;
        if (columns is null || columns.Length < length)
            s_columns = columns = GC.AllocateUninitializedArray<float>(length);
        Im2Col.Run(new ReadOnlySpan<float>(o.Image, o.ImageLength), p, firstRow, rowCount, columns.AsSpan(0, length));
        var gemm = new GemmParameters(p.GroupOutputChannels, bandColumns, p.PatchSize)
        {
            LeadingC = spatial,
            BiasKind = o.BiasLength == 0 ? BiasKind.None : BiasKind.PerRow,
            Activation = p.Activation,
            ThreadCount = gemmThreads,
        };
        var offset = firstRow * p.OutputWidth;
        GemmKernel.Run(o.Weights, columns.AsSpan(0, length), new ReadOnlySpan<float>(o.Bias, o.BiasLength), gemm,
            new Span<float>(o.Output + offset, o.OutputLength - offset));
    }

    /// <summary>Pinned operands of one call, shared with the worker threads.</summary>
    unsafe readonly struct Operands(float* image, int imageLength, PackedMatrix weights, float* bias, int biasLength, float* output,
        int outputLength, ConvParameters parameters)
    {
        public float* Image { get; } = image;
        public int ImageLength { get; } = imageLength;
        public PackedMatrix Weights { get; } = weights;
        public float* Bias { get; } = bias;
        public int BiasLength { get; } = biasLength;
        public float* Output { get; } = output;
        public int OutputLength { get; } = outputLength;
        public ConvParameters Parameters { get; } = parameters;
    }

    /// <summary>One band of <see cref="BandRows"/> output rows per index, its GEMM on one thread.</summary>
    sealed class BandJob(Operands operands, int bandRows) : IParallelWork
    {
        public Operands Operands { get; } = operands;
        public int BandRows { get; } = bandRows;

        public void Execute(int index)
        {
            var firstRow = index * BandRows;
            RunBand(Operands, firstRow, Math.Min(BandRows, Operands.Parameters.OutputHeight - firstRow), 1);
        }
    }
}
