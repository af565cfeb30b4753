using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.Nn;

/// <summary>
/// MaxPool and AveragePool (float32, 1-D and 2-D): X [N, C, H, W] → Y [N, C, oH, oW] with kernel_shape, strides,
/// dilations, pads / auto_pad and ceil_mode. Average divides by the window's in-image element count, or by the
/// full window (padding included) when count_include_pad is set.
/// </summary>
sealed class PoolKernel(WindowGeometry geometry, bool isMax, bool countIncludePad) : Kernel
{
    public override void Run(KernelContext context)
    {
        var x = context.Input(0);
        if (x.ElementType != ElementType.Float || x.Rank != geometry.SpatialRank + 2)
            Throw.ShapeMismatch($"pooling expects a float32 tensor of rank {geometry.SpatialRank + 2}, got {x}");
        var twoD = geometry.SpatialRank == 2;
        var kernel = geometry.KernelShape!;
        var height = twoD ? x.Dim(2) : 1;
        var width = x.Dim(x.Rank - 1);
        var kernelHeight = twoD ? (int)kernel[0] : 1;
        var kernelWidth = (int)kernel[^1];
        var (outputHeight, padTop) = twoD ? geometry.Resolve(0, height, kernelHeight) : (1, 0);
        var (outputWidth, padLeft) = geometry.Resolve(twoD ? 1 : 0, width, kernelWidth);
        Span<int> outputDims = stackalloc int[x.Rank];
        x.Dims.CopyTo(outputDims);
        if (twoD)
            outputDims[2] = outputHeight;
        outputDims[^1] = outputWidth;
        var output = context.Output(0, ElementType.Float, outputDims);
        var window = new Window(kernelHeight, kernelWidth, twoD ? (int)geometry.Strides[0] : 1, (int)geometry.Strides[^1],
            twoD ? (int)geometry.Dilations[0] : 1, (int)geometry.Dilations[^1], padTop, padLeft);
        // The pads that count toward an average's divisor end where the explicit end pads end.
        var padBottom = twoD ? (geometry.AutoPad is "NOTSET" ? (int)geometry.Pads[2] : 0) : 0;
        var padRight = geometry.AutoPad is "NOTSET" ? (int)geometry.Pads[^1] : 0;
        Compute(x.Read<float>(), x.Dim(0) * x.Dim(1), height, width, window, isMax, countIncludePad, height + padBottom, width + padRight,
            outputHeight, outputWidth, output.Write<float>());
    }

    public readonly record struct Window(int KernelHeight, int KernelWidth, int StrideHeight, int StrideWidth,
        int DilationHeight, int DilationWidth, int PadTop, int PadLeft);

    public static void Compute(ReadOnlySpan<float> input, int planeCount, int height, int width, Window window, bool isMax,
        bool countIncludePad, int paddedHeight, int paddedWidth, int outputHeight, int outputWidth, Span<float> output)
    {
        for (var plane = 0; plane < planeCount; plane++)
        {
            var source = input.Slice(plane * height * width, height * width);
            var target = output.Slice(plane * outputHeight * outputWidth, outputHeight * outputWidth);
            for (var oh = 0; oh < outputHeight; oh++)
            {
                var top = oh * window.StrideHeight - window.PadTop;
                for (var ow = 0; ow < outputWidth; ow++)
                {
                    var left = ow * window.StrideWidth - window.PadLeft;
                    var best = float.NegativeInfinity;
                    var sum = 0f;
                    var count = 0;
                    var padded = 0;
                    for (var kh = 0; kh < window.KernelHeight; kh++)
                    {
                        var ih = top + kh * window.DilationHeight;
                        for (var kw = 0; kw < window.KernelWidth; kw++)
                        {
                            var iw = left + kw * window.DilationWidth;
                            if ((uint)ih < (uint)height && (uint)iw < (uint)width)
                            {
                                var value = source[ih * width + iw];
                                best = MathF.Max(best, value);
                                sum += value;
                                count++;
                            }
                            else if (ih < paddedHeight && iw < paddedWidth)
                                padded++;
                        }
                    }
                    target[oh * outputWidth + ow] = isMax ? best : sum / Math.Max(1, countIncludePad ? count + padded : count);
                }
            }
        }
    }
}
