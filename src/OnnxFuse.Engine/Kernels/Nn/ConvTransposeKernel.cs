using System.Buffers;
using System.Numerics.Tensors;
using OnnxFuse.Engine.Kernels.Gemm;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.Nn;

/// <summary>
/// ConvTranspose (float32, 1-D and 2-D): X [N, C, H, W], W [C, M/group, kH, kW] (+ B [M]) → Y [N, M, oH, oW] with
/// oH = s·(H − 1) + output_padding + d·(kH − 1) + 1 − pads (or output_shape / auto_pad SAME_*, which set the pads).
/// Per image and group: columns = W_gᵀ · X_g through <see cref="GemmKernel"/>, then col2im scatters each column into Y.
/// </summary>
sealed class ConvTransposeKernel(WindowGeometry geometry, int groupCount, long[]? outputPadding, long[]? outputShape) : Kernel
{
    public override void Run(KernelContext context)
    {
        var x = context.Input(0);
        var w = context.Input(1);
        var bias = context.OptionalInput(2);
        if (x.ElementType != ElementType.Float || x.Rank != geometry.SpatialRank + 2)
            Throw.ShapeMismatch($"ConvTranspose expects a float32 tensor of rank {geometry.SpatialRank + 2}, got {x}");
        var twoD = geometry.SpatialRank == 2;
        int batchCount = x.Dim(0), channelCount = x.Dim(1);
        var height = twoD ? x.Dim(2) : 1;
        var width = x.Dim(x.Rank - 1);
        var groupChannels = channelCount / groupCount;
        var groupOutputs = w.Dim(1);
        var outputChannels = groupOutputs * groupCount;
        var kernelHeight = twoD ? w.Dim(2) : 1;
        var kernelWidth = w.Dim(w.Rank - 1);
        var (outputHeight, padTop) = twoD ? Resolve(0, height, kernelHeight) : (1, 0);
        var (outputWidth, padLeft) = Resolve(geometry.SpatialRank - 1, width, kernelWidth);
        int strideHeight = twoD ? (int)geometry.Strides[0] : 1, strideWidth = (int)geometry.Strides[^1];
        int dilationHeight = twoD ? (int)geometry.Dilations[0] : 1, dilationWidth = (int)geometry.Dilations[^1];

        Span<int> outputDims = stackalloc int[x.Rank];
        outputDims[0] = batchCount;
        outputDims[1] = outputChannels;
        if (twoD)
            outputDims[2] = outputHeight;
        outputDims[^1] = outputWidth;
        var y = context.Output(0, ElementType.Float, outputDims).Write<float>();
        y.Clear();

        var input = x.Read<float>();
        var weights = w.Read<float>();
        var imageSize = height * width;
        var outputSize = outputHeight * outputWidth;
        var patchRows = groupOutputs * kernelHeight * kernelWidth;
        var columns = ArrayPool<float>.Shared.Rent(patchRows * imageSize);
        var gemm = new GemmParameters(patchRows, imageSize, groupChannels) { TransposeA = true, ThreadCount = context.ThreadCount };
        for (var g = 0; g < groupCount; g++)
        {
            var groupWeights = weights.Slice(g * groupChannels * patchRows, groupChannels * patchRows);
            for (var n = 0; n < batchCount; n++)
            {
                var image = input.Slice((n * channelCount + g * groupChannels) * imageSize, groupChannels * imageSize);
                GemmKernel.Run(groupWeights, image, [], gemm, columns.AsSpan(0, patchRows * imageSize));
                var target = y.Slice((n * outputChannels + g * groupOutputs) * outputSize, groupOutputs * outputSize);
                for (var row = 0; row < patchRows; row++)
                {
                    var m = row / (kernelHeight * kernelWidth);
                    var kh = row / kernelWidth % kernelHeight;
                    var kw = row % kernelWidth;
                    var plane = target.Slice(m * outputSize, outputSize);
                    var column = columns.AsSpan(row * imageSize, imageSize);
                    for (var ih = 0; ih < height; ih++)
                    {
                        var oh = ih * strideHeight - padTop + kh * dilationHeight;
                        if ((uint)oh >= (uint)outputHeight)
                            continue;
                        for (var iw = 0; iw < width; iw++)
                        {
                            var ow = iw * strideWidth - padLeft + kw * dilationWidth;
                            if ((uint)ow < (uint)outputWidth)
                                plane[oh * outputWidth + ow] += column[ih * width + iw];
                        }
                    }
                }
            }
        }
        ArrayPool<float>.Shared.Return(columns);
        if (bias is not null)
        {
            var b = bias.Read<float>();
            for (var n = 0; n < batchCount; n++)
                for (var m = 0; m < outputChannels; m++)
                {
                    var plane = y.Slice((n * outputChannels + m) * outputSize, outputSize);
                    TensorPrimitives.Add(plane, b[m], plane);
                }
        }
    }

    (int OutputSize, int PadBegin) Resolve(int axis, int inputSize, int kernelSize)
    {
        var stride = (int)geometry.Strides[axis];
        var extent = (int)geometry.Dilations[axis] * (kernelSize - 1) + 1;
        var extra = outputPadding is null ? 0 : (int)outputPadding[axis];
        var full = stride * (inputSize - 1) + extra + extent;
        int output;
        if (outputShape is not null)
            output = (int)outputShape[outputShape.Length - geometry.SpatialRank + axis];
        else if (geometry.AutoPad is "SAME_UPPER" or "SAME_LOWER")
            output = inputSize * stride;
        else
        {
            var begin = (int)geometry.Pads[axis];
            return (full - begin - (int)geometry.Pads[axis + geometry.SpatialRank], begin);
        }
        // ONNX splits the total with floor division, which matters when output_shape asks for more than the full size.
        var total = full - output;
        var half = (int)Math.Floor(total / 2.0);
        return (output, geometry.AutoPad == "SAME_UPPER" ? half : total - half);
    }
}
