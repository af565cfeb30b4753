using OnnxFuse.Ir.Errors;

namespace OnnxFuse.Engine.Kernels.Conv;

/// <summary>
/// 2-D convolution arguments, NCHW. Input [BatchCount × InputChannelCount × InputHeight × InputWidth];
/// weights [OutputChannelCount × InputChannelCount/GroupCount × KernelHeight × KernelWidth];
/// bias [OutputChannelCount] or empty; output [BatchCount × OutputChannelCount × OutputHeight × OutputWidth] with
/// OutputHeight = (InputHeight + PadTop + PadBottom − DilationHeight·(KernelHeight − 1) − 1) / StrideHeight + 1
/// (likewise for width). 1-D convolution is InputHeight = KernelHeight = 1.
/// </summary>
public readonly record struct ConvParameters(
    int BatchCount, int InputChannelCount, int InputHeight, int InputWidth,
    int OutputChannelCount, int KernelHeight, int KernelWidth)
{
    public int StrideHeight { get; init; } = 1;
    public int StrideWidth { get; init; } = 1;
    public int DilationHeight { get; init; } = 1;
    public int DilationWidth { get; init; } = 1;
    public int PadTop { get; init; }
    public int PadLeft { get; init; }
    public int PadBottom { get; init; }
    public int PadRight { get; init; }
    public int GroupCount { get; init; } = 1;
    public Activation Activation { get; init; }

    /// <summary>Threads the GEMM paths may use (the calling thread included).</summary>
    public int ThreadCount { get; init; } = 1;

    public int OutputHeight => OutputSize(InputHeight + PadTop + PadBottom - DilationHeight * (KernelHeight - 1) - 1, StrideHeight);
    public int OutputWidth => OutputSize(InputWidth + PadLeft + PadRight - DilationWidth * (KernelWidth - 1) - 1, StrideWidth);

    /// <summary>⌊span / stride⌋ + 1, floored as ONNX states it: a kernel wider than the padded input gives 0 or less, not 1.</summary>
    static int OutputSize(int span, int stride) => (int)Math.Floor((double)span / stride) + 1;

    internal int GroupInputChannels => InputChannelCount / GroupCount;
    internal int GroupOutputChannels => OutputChannelCount / GroupCount;

    /// <summary>Columns of the per-group weight matrix: InputChannelCount/GroupCount · KernelHeight · KernelWidth.</summary>
    internal int PatchSize => GroupInputChannels * KernelHeight * KernelWidth;

    internal bool IsDepthwise => GroupCount == InputChannelCount && GroupCount == OutputChannelCount && GroupCount > 1;

    internal bool IsPointwise => KernelHeight == 1 && KernelWidth == 1 && StrideHeight == 1 && StrideWidth == 1
        && PadTop == 0 && PadLeft == 0 && PadBottom == 0 && PadRight == 0;

    internal long InputLength => (long)BatchCount * InputChannelCount * InputHeight * InputWidth;
    internal long OutputLength => (long)BatchCount * OutputChannelCount * OutputHeight * OutputWidth;
    internal long WeightLength => (long)OutputChannelCount * PatchSize;

    internal void Validate(int inputLength, int biasLength, int outputLength)
    {
        if (BatchCount < 0 || InputChannelCount <= 0 || InputHeight <= 0 || InputWidth <= 0 || OutputChannelCount <= 0
            || KernelHeight <= 0 || KernelWidth <= 0 || StrideHeight <= 0 || StrideWidth <= 0 || DilationHeight <= 0
            || DilationWidth <= 0 || PadTop < 0 || PadLeft < 0 || PadBottom < 0 || PadRight < 0 || GroupCount <= 0)
        {
            Throw.ShapeMismatch($"Conv arguments out of range: {this}.");
        }
        if (InputChannelCount % GroupCount != 0 || OutputChannelCount % GroupCount != 0)
            Throw.ShapeMismatch($"Conv channels {InputChannelCount}→{OutputChannelCount} are not divisible by {GroupCount} groups.");
        if (OutputHeight <= 0 || OutputWidth <= 0)
            Throw.ShapeMismatch($"Conv output would be {OutputHeight}×{OutputWidth}: the kernel is larger than the padded input.");
        if (inputLength < InputLength)
            Throw.ShapeMismatch($"Conv input holds {inputLength} values; {InputLength} needed.");
        if (outputLength < OutputLength)
            Throw.ShapeMismatch($"Conv output holds {outputLength} values; {OutputLength} needed.");
        if (biasLength != 0 && biasLength < OutputChannelCount)
            Throw.ShapeMismatch($"Conv bias holds {biasLength} values; {OutputChannelCount} needed.");
    }
}
