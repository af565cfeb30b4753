using OnnxFuse.Ir.Errors;

namespace OnnxFuse.Engine.Kernels.Nn;

/// <summary>
/// Sliding-window arithmetic shared by Conv, ConvTranspose and the pools, for up to two spatial axes (1-D windows
/// use height 1): kernel size, strides, dilations, explicit pads or auto_pad, and ceil_mode.
/// </summary>
sealed class WindowGeometry
{
    public WindowGeometry(int spatialRank, long[]? kernelShape, long[]? strides, long[]? dilations, long[]? pads, string autoPad, bool ceilMode)
    {
        if (spatialRank is < 1 or > 2)
            throw new NotSupportedException($"{spatialRank}-D windows");
        SpatialRank = spatialRank;
        KernelShape = kernelShape;
        Strides = strides ?? Ones(spatialRank);
        Dilations = dilations ?? Ones(spatialRank);
        Pads = pads ?? new long[2 * spatialRank];
        AutoPad = autoPad;
        CeilMode = ceilMode;
    }

    public int SpatialRank { get; }

    public long[]? KernelShape { get; }

    public long[] Strides { get; }

    public long[] Dilations { get; }

    public long[] Pads { get; }

    public string AutoPad { get; }

    public bool CeilMode { get; }

    /// <summary>Output size and leading pad of spatial axis <paramref name="axis"/> for an input of <paramref name="inputSize"/>.</summary>
    public (int OutputSize, int PadBegin) Resolve(int axis, int inputSize, int kernelSize)
    {
        var stride = (int)Strides[axis];
        var dilation = (int)Dilations[axis];
        var effectiveKernel = dilation * (kernelSize - 1) + 1;
        switch (AutoPad)
        {
            case "SAME_UPPER" or "SAME_LOWER":
                {
                    var output = (inputSize + stride - 1) / stride;
                    var total = Math.Max(0, (output - 1) * stride + effectiveKernel - inputSize);
                    var begin = AutoPad == "SAME_UPPER" ? total / 2 : total - total / 2;
                    return (output, begin);
                }
            case "VALID":
                if (inputSize < effectiveKernel)
                    Throw.ShapeMismatch($"window of {effectiveKernel} does not fit input {inputSize} with VALID padding");
                return ((inputSize - effectiveKernel) / stride + 1, 0);
            default:
                {
                    var begin = (int)Pads[axis];
                    var end = (int)Pads[axis + SpatialRank];
                    var span = inputSize + begin + end - effectiveKernel;
                    if (span < 0)
                        Throw.ShapeMismatch($"window of {effectiveKernel} does not fit input {inputSize} with pads {begin}+{end}");
                    var output = CeilMode ? (span + stride - 1) / stride + 1 : span / stride + 1;
                    // With ceil_mode, the last window must still start inside the input or left padding.
                    if (CeilMode && (output - 1) * stride >= inputSize + begin)
                        output--;
                    return (output, begin);
                }
        }
    }

    static long[] Ones(int count)
    {
        var result = new long[count];
        Array.Fill(result, 1L);
        return result;
    }
}
