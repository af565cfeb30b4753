namespace OnnxFuse.Engine.Kernels.Image;

/// <summary>Resize's interpolation: the nearest sample, two neighbours blended linearly, or four by a cubic kernel.</summary>
enum ResizeMode
{
    Nearest,
    Linear,
    Cubic,
}
