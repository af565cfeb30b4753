namespace OnnxFuse.Engine.Kernels.Image;

/// <summary>GridSample's interpolation (opset 16 names bilinear and bicubic, opset 20 linear and cubic).</summary>
enum GridSampleMode
{
    Nearest,
    Linear,
    Cubic,
}
