namespace OnnxFuse.Engine.Tensors;

/// <summary>
/// Recycles intermediate buffers between nodes and between runs. A request takes the smallest free buffer that is
/// large enough (best fit), so after the first run of a plan with stable shapes no new buffer is allocated.
/// Not thread-safe: each execution lane (one per thread a frame runs on) owns one pool.
/// </summary>
sealed class BufferPool
{
    // Buffers are rounded up so that slightly different sizes (dynamic shapes) can share one buffer.
    const int Granularity = 64;

    readonly List<TensorBuffer> _free = [];

    /// <summary>Bytes of buffers handed out and not yet returned.</summary>
    public long InUseBytes { get; private set; }

    /// <summary>The highest <see cref="InUseBytes"/> seen.</summary>
    public long PeakBytes { get; private set; }

    /// <summary>Buffers created so far (a steady-state run adds none).</summary>
    public int AllocationCount { get; private set; }

    public TensorBuffer Rent(int byteCount)
    {
        var best = -1;
        for (var i = 0; i < _free.Count; i++)
        {
            var length = _free[i].Data.Length;
            if (length >= byteCount && (best < 0 || length < _free[best].Data.Length))
                best = i;
        }
        TensorBuffer buffer;
        if (best >= 0)
        {
            buffer = _free[best];
            _free[best] = _free[^1];
            _free.RemoveAt(_free.Count - 1);
        }
        else
        {
            var size = (byteCount + Granularity - 1) / Granularity * Granularity;
            buffer = new TensorBuffer(GC.AllocateUninitializedArray<byte>(Math.Max(size, Granularity)), this);
            AllocationCount++;
        }
        buffer.ReferenceCount = 1;
        InUseBytes += buffer.Data.Length;
        if (InUseBytes > PeakBytes)
            PeakBytes = InUseBytes;
        return buffer;
    }

    public void Return(TensorBuffer buffer)
    {
        InUseBytes -= buffer.Data.Length;
        _free.Add(buffer);
    }
}
