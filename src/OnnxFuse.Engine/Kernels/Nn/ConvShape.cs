using OnnxFuse.Engine.Kernels.Conv;
using OnnxFuse.Engine.Tensors;
using OnnxFuse.Ir.Errors;

namespace OnnxFuse.Engine.Kernels.Nn;

/// <summary>
/// The shape side of a 1-D or 2-D convolution node, shared by the float and the quantized Conv kernels: checks the
/// input and weight ranks and channel counts, resolves pads (explicit or auto_pad) into <see cref="ConvParameters"/>,
/// and gives the output dims [N, M, (H,) W].
/// </summary>
static class ConvShape
{
    /// <summary>
    /// The convolution of input <paramref name="x"/> [N, C, (H,) W] by weight <paramref name="w"/> [M, C/group, (kH,) kW]:
    /// its parameters (no activation), with its output dims written to <paramref name="outputDims"/> (length: x's rank).
    /// Errors name the op as <paramref name="opName"/> ("Conv", "quantized Conv").
    /// </summary>
    public static ConvParameters Resolve(WindowGeometry geometry, int groupCount, RuntimeTensor x, RuntimeTensor w, int threadCount,
        string opName, Span<int> outputDims)
    {
        if (x.Rank != geometry.SpatialRank + 2 || w.Rank != x.Rank)
            Throw.ShapeMismatch($"{opName} input rank {x.Rank} and weight rank {w.Rank} do not match a {geometry.SpatialRank}-D convolution");
        var twoD = geometry.SpatialRank == 2;
        var height = twoD ? x.Dim(2) : 1;
        var width = x.Dim(x.Rank - 1);
        var kernelHeight = twoD ? w.Dim(2) : 1;
        var kernelWidth = w.Dim(w.Rank - 1);
        if (w.Dim(1) * groupCount != x.Dim(1) || w.Dim(0) % groupCount != 0)
            Throw.ShapeMismatch($"{opName} weight {ShapeMath.Format(w.Dims)} does not fit {x.Dim(1)} input channels in {groupCount} groups");
        var (outputHeight, padTop, padBottom) = twoD ? Pads(geometry, 0, height, kernelHeight) : (1, 0, 0);
        var (outputWidth, padLeft, padRight) = Pads(geometry, twoD ? 1 : 0, width, kernelWidth);
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
            ThreadCount = threadCount,
        };
        outputDims[0] = p.BatchCount;
        outputDims[1] = p.OutputChannelCount;
        if (twoD)
            outputDims[2] = outputHeight;
        outputDims[^1] = outputWidth;
        return p;
    }

    /// <summary>Output size and the leading and trailing pads that give it under ConvParameters' floor formula.</summary>
    static (int OutputSize, int PadBegin, int PadEnd) Pads(WindowGeometry geometry, int axis, int inputSize, int kernelSize)
    {
        var (outputSize, padBegin) = geometry.Resolve(axis, inputSize, kernelSize);
        var extent = (int)geometry.Dilations[axis] * (kernelSize - 1) + 1;
        var padEnd = Math.Max(0, (outputSize - 1) * (int)geometry.Strides[axis] + extent - inputSize - padBegin);
        return (outputSize, padBegin, padEnd);
    }
}
