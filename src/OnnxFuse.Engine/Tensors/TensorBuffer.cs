namespace OnnxFuse.Engine.Tensors;

/// <summary>
/// A pooled byte buffer that holds one intermediate tensor (or several that alias it: Reshape, Identity…).
/// Reference counted: every <see cref="RuntimeTensor"/> bound to it holds one reference, and the last release
/// hands it back to its <see cref="BufferPool"/>.
/// </summary>
sealed class TensorBuffer(byte[] data)
{
    public byte[] Data { get; } = data;

    public int ReferenceCount { get; set; }
}
