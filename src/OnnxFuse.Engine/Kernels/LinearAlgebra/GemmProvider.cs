namespace OnnxFuse.Engine.Kernels.LinearAlgebra;

/// <summary>The <see cref="IGemm"/> the engine's kernels use.</summary>
static class GemmProvider
{
    public static IGemm Current { get; } = new SimpleGemm();
}
