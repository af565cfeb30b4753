namespace OnnxFuse.Engine.Tensors;

/// <summary>
/// A pooled byte buffer that holds one intermediate tensor (or several that alias it: Reshape, Identity…).
/// Reference counted: every <see cref="RuntimeTensor"/> bound to it holds one reference, and the last release
/// hands it back to <see cref="Owner"/>, the pool that created it (frames running independent components
/// concurrently give each thread its own pool).
/// </summary>
sealed class TensorBuffer(byte[] data, BufferPool owner)
{
    public byte[] Data { get; } = data;

    public BufferPool Owner { get; } = owner;

    public int ReferenceCount { get; set; }
}
