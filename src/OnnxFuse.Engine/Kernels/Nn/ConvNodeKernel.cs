using OnnxFuse.Engine.Kernels.Conv;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.Nn;

/// <summary>
/// The Conv node (float32, 1-D and 2-D): X [N, C, H, W] ⊛ W [M, C/group, kH, kW] (+ B [M]) → Y [N, M, oH, oW], run by
/// <see cref="ConvKernel"/> (depthwise direct, 1×1 GEMM or im2col + GEMM) with the bias and the activation
/// (com.microsoft FusedConv) in its epilogue. Constant weights are packed on the first run and reused while the
/// input shape stays the same; run-time weights are packed on every run.
/// </summary>
sealed class ConvNodeKernel(WindowGeometry geometry, int groupCount, Activation activation, TensorData? constantWeights) : Kernel
{
    PackedConvWeights? _packed;

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
        var height = twoD ? x.Dim(2) : 1;
        var width = x.Dim(x.Rank - 1);
        var kernelHeight = twoD ? w.Dim(2) : 1;
        var kernelWidth = w.Dim(w.Rank - 1);
        if (w.Dim(1) * groupCount != x.Dim(1) || w.Dim(0) % groupCount != 0)
            Throw.ShapeMismatch($"Conv weight [{string.Join(',', w.Dims.ToArray())}] does not fit {x.Dim(1)} input channels in {groupCount} groups");
        var (outputHeight, padTop, padBottom) = twoD ? Resolve(0, height, kernelHeight) : (1, 0, 0);
        var (outputWidth, padLeft, padRight) = Resolve(twoD ? 1 : 0, width, kernelWidth);
        var p = new ConvParameters(x.Dim(0), x.Dim(1), height, width, w.Dim(0), kernelHeight, kernelWidth)
        {
            StrideHeight = twoD ? (int)geometry.Strides[0] : 1,
            StrideWidth = (int)geometry.Strides[^1],
            DilationHeight = twoD ? (int)geometry.Dilations[0] : 1,
            DilationWidth = (int)geometry.Dilations[^1],
            PadTop = padTop,
            PadLeft = padLeft,
            PadBottom = padBottom,
            PadRight = padRight,
            GroupCount = groupCount,
            Activation = activation,
            ThreadCount = context.ThreadCount,
        };

        Span<int> outputDims = stackalloc int[x.Rank];
        outputDims[0] = p.BatchCount;
        outputDims[1] = p.OutputChannelCount;
        if (twoD)
            outputDims[2] = outputHeight;
        outputDims[^1] = outputWidth;
        var y = context.Output(0, ElementType.Float, outputDims).Write<float>();
        ConvKernel.Run(x.Read<float>(), Weights(w.Read<float>(), p), bias is null ? [] : bias.Read<float>(), p, y);
    }

    PackedConvWeights Weights(ReadOnlySpan<float> weights, in ConvParameters p)
    {
        var packed = _packed;
        if (packed is not null && packed.Parameters with { Activation = p.Activation, ThreadCount = p.ThreadCount, BatchCount = p.BatchCount } == p)
            return packed;
        packed = ConvKernel.PackWeights(weights, p);
        // A reference write is atomic, so concurrent runs at worst pack twice.
        if (constantWeights is not null)
            _packed = packed;
        return packed;
    }

    /// <summary>Output size and the leading and trailing pads that give it under ConvParameters' floor formula.</summary>
    (int OutputSize, int PadBegin, int PadEnd) Resolve(int axis, int inputSize, int kernelSize)
    {
        var (outputSize, padBegin) = geometry.Resolve(axis, inputSize, kernelSize);
        var extent = (int)geometry.Dilations[axis] * (kernelSize - 1) + 1;
        var padEnd = Math.Max(0, (outputSize - 1) * (int)geometry.Strides[axis] + extent - inputSize - padBegin);
        return (outputSize, padBegin, padEnd);
    }
}
