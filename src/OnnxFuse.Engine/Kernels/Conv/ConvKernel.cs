using OnnxFuse.Engine.Kernels.Gemm;
using OnnxFuse.Ir.Errors;

namespace OnnxFuse.Engine.Kernels.Conv;

/// <summary>
/// 2-D convolution, NCHW (shapes and formula in <see cref="ConvParameters"/> and <see cref="ConvKernelScalar"/>),
/// with fused bias and activation. Three paths: depthwise convs run <see cref="DepthwiseConvKernel"/>; 1×1 stride-1
/// unpadded convs are one GEMM per image and group, W[M/G × C/G] · X[C/G × H·W], with no copy; everything else
/// lays the receptive fields out by im2col and runs the same GEMM, in bands of output rows (<see cref="Im2ColBands"/>).
/// The bias is a per-row GEMM epilogue.
/// </summary>
public static class ConvKernel
{
    /// <summary>Prepares weights [M × C/G × kh × kw] once for <paramref name="p"/>'s shape on the default GEMM variant.</summary>
    public static PackedConvWeights PackWeights(ReadOnlySpan<float> weights, in ConvParameters p) =>
        PackWeights(weights, p, GemmKernel.DefaultVariant);

    public static PackedConvWeights PackWeights(ReadOnlySpan<float> weights, in ConvParameters p, GemmVariant variant)
    {
        p.Validate((int)Math.Min(int.MaxValue, p.InputLength), 0, (int)Math.Min(int.MaxValue, p.OutputLength));
        if (weights.Length < p.WeightLength)
            Throw.ShapeMismatch($"Conv weights hold {weights.Length} values; {p.WeightLength} needed.");
        if (p.IsDepthwise)
            return new PackedConvWeights(p, [], weights[..(int)p.WeightLength].ToArray());
        var groups = new PackedMatrix[p.GroupCount];
        var groupWeights = p.GroupOutputChannels * p.PatchSize;
        for (var g = 0; g < p.GroupCount; g++)
            groups[g] = PackedMatrix.PackA(weights.Slice(g * groupWeights, groupWeights), p.GroupOutputChannels, p.PatchSize, false, 0, variant);
        return new PackedConvWeights(p, groups, null);
    }

    public static void Run(ReadOnlySpan<float> input, PackedConvWeights weights, ReadOnlySpan<float> bias, in ConvParameters p, Span<float> output)
    {
        p.Validate(input.Length, bias.Length, output.Length);
        var packed = weights.Parameters;
        if (packed with { Activation = p.Activation, ThreadCount = p.ThreadCount, BatchCount = p.BatchCount } != p)
            Throw.ShapeMismatch($"Conv weights were packed for {packed}, not {p}.");
        if (weights.Depthwise is { } depthwise)
        {
            DepthwiseConvKernel.Run(input, depthwise, bias, p, output);
            return;
        }

        var spatial = p.OutputHeight * p.OutputWidth;
        var imagePlane = p.InputChannelCount * p.InputHeight * p.InputWidth;
        var groupImage = p.GroupInputChannels * p.InputHeight * p.InputWidth;
        var groupOutput = p.GroupOutputChannels * spatial;
        var gemm = new GemmParameters(p.GroupOutputChannels, spatial, p.PatchSize)
        {
            BiasKind = bias.IsEmpty ? BiasKind.None : BiasKind.PerRow,
            Activation = p.Activation,
            ThreadCount = p.ThreadCount,
        };
        for (var n = 0; n < p.BatchCount; n++)
        {
            for (var g = 0; g < p.GroupCount; g++)
            {
                var image = input.Slice(n * imagePlane + g * groupImage, groupImage);
                var result = output.Slice((n * p.GroupCount + g) * groupOutput, groupOutput);
                var groupBias = bias.IsEmpty ? bias : bias.Slice(g * p.GroupOutputChannels, p.GroupOutputChannels);
                if (p.IsPointwise)
                    GemmKernel.Run(weights.Groups[g], image, groupBias, gemm, result);
                else
                    Im2ColBands.Run(image, weights.Groups[g], groupBias, p, result);
            }
        }
    }
}
