namespace OnnxFuse.Engine.Kernels.Image;

/// <summary>What GridSample reads for coordinates outside the image.</summary>
enum GridSamplePadding
{
    Zeros,
    Border,
    Reflection,
}
