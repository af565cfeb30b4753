namespace OnnxFuse.Engine.Simd;

/// <summary>The widest vector a driver or kernel may use; the order matters (wider is larger).</summary>
public enum SimdWidth
{
    Scalar = 0,
    Vector128 = 128,
    Vector256 = 256,
    Vector512 = 512,
}
