using System.Buffers;
using System.Numerics.Tensors;
using OnnxFuse.Engine.Kernels.Activation;
using OnnxFuse.Engine.Kernels.LinearAlgebra;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.Nn;

/// <summary>
/// Conv (float32, 1-D and 2-D): X [N, C, H, W] ⊛ W [M, C/group, kH, kW] (+ B [M]) → Y [N, M, oH, oW], through
/// im2col and <see cref="IGemm"/> per image and group (a 1×1 stride-1 unpadded conv multiplies X directly).
/// Also serves com.microsoft FusedConv, whose activation is applied to Y.
/// </summary>
sealed class ConvKernel(WindowGeometry geometry, int groupCount, FusedActivation activation = default) : Kernel
{
    public override void Run(KernelContext context)
    {
        var x = context.Input(0);
        var w = context.Input(1);
        var bias = context.OptionalInput(2);
        if (x.ElementType != ElementType.Float)
            Throw.ShapeMismatch($"Conv supports float32 only, got {x.ElementType.DisplayName()}");
        if (x.Rank != geometry.SpatialRank + 2 || w.Rank != x.Rank)
            Throw.ShapeMismatch($"Conv input rank {x.Rank} and weight rank {w.Rank} do not match a {geometry.SpatialRank}-D convolution");
        var twoD = geometry.SpatialRank == 2;
        int batchCount = x.Dim(0), channelCount = x.Dim(1);
        var height = twoD ? x.Dim(2) : 1;
        var width = x.Dim(x.Rank - 1);
        var outputChannels = w.Dim(0);
        var kernelHeight = twoD ? w.Dim(2) : 1;
        var kernelWidth = w.Dim(w.Rank - 1);
        var groupChannels = channelCount / groupCount;
        if (w.Dim(1) != groupChannels || outputChannels % groupCount != 0)
            Throw.ShapeMismatch($"Conv weight [{string.Join(',', w.Dims.ToArray())}] does not fit {channelCount} input channels in {groupCount} groups");
        var (outputHeight, padTop) = twoD ? geometry.Resolve(0, height, kernelHeight) : (1, 0);
        var (outputWidth, padLeft) = geometry.Resolve(twoD ? 1 : 0, width, kernelWidth);
        int strideHeight = twoD ? (int)geometry.Strides[0] : 1, strideWidth = (int)geometry.Strides[^1];
        int dilationHeight = twoD ? (int)geometry.Dilations[0] : 1, dilationWidth = (int)geometry.Dilations[^1];

        Span<int> outputDims = stackalloc int[x.Rank];
        outputDims[0] = batchCount;
        outputDims[1] = outputChannels;
        if (twoD)
            outputDims[2] = outputHeight;
        outputDims[^1] = outputWidth;
        var output = context.Output(0, ElementType.Float, outputDims);
        var y = output.Write<float>();

        var input = x.Read<float>();
        var weights = w.Read<float>();
        var outputSize = outputHeight * outputWidth;
        var imageSize = height * width;
        var patchSize = groupChannels * kernelHeight * kernelWidth;
        var groupOutputs = outputChannels / groupCount;
        var direct = kernelHeight == 1 && kernelWidth == 1 && strideHeight == 1 && strideWidth == 1 && padTop == 0 && padLeft == 0
            && outputHeight == height && outputWidth == width;
        var columns = direct ? null : ArrayPool<float>.Shared.Rent(patchSize * outputSize);
        var gemm = GemmProvider.Current;
        for (var n = 0; n < batchCount; n++)
        {
            for (var g = 0; g < groupCount; g++)
            {
                var image = input.Slice((n * channelCount + g * groupChannels) * imageSize, groupChannels * imageSize);
                ReadOnlySpan<float> patches = image;
                if (columns is not null)
                {
                    Im2Col.Run(image, groupChannels, height, width, kernelHeight, kernelWidth, strideHeight, strideWidth,
                        dilationHeight, dilationWidth, padTop, padLeft, outputHeight, outputWidth, columns);
                    patches = columns.AsSpan(0, patchSize * outputSize);
                }
                gemm.Multiply(weights.Slice(g * groupOutputs * patchSize, groupOutputs * patchSize), patches, groupOutputs, patchSize,
                    outputSize, false, context.ThreadCount, y.Slice((n * outputChannels + g * groupOutputs) * outputSize, groupOutputs * outputSize));
            }
            if (bias is not null)
            {
                var b = bias.Read<float>();
                for (var m = 0; m < outputChannels; m++)
                {
                    var plane = y.Slice((n * outputChannels + m) * outputSize, outputSize);
                    TensorPrimitives.Add(plane, b[m], plane);
                }
            }
        }
        if (columns is not null)
            ArrayPool<float>.Shared.Return(columns);
        activation.Apply(y);
    }
}
