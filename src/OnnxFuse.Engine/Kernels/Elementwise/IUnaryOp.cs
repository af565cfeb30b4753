using System.Numerics;

namespace OnnxFuse.Engine.Kernels.Elementwise;

/// <summary>An element-wise function on floating-point runs: y[i] = f(x[i]).</summary>
interface IUnaryOp
{
    static abstract void Invoke<T>(ReadOnlySpan<T> x, Span<T> y) where T : unmanaged, IFloatingPointIeee754<T>;
}
