namespace OnnxFuse.Engine.Kernels.Gemm;

/// <summary>The GEMM implementations; <see cref="GemmKernel.DefaultVariant"/> picks the widest one allowed.</summary>
public enum GemmVariant
{
    Scalar,
    Vector256,
    Vector512,
}
