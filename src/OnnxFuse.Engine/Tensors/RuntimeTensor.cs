using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Tensors;

/// <summary>
/// The engine's tensor at run time: element type, dimensions, and either a pooled <see cref="TensorBuffer"/>
/// (writable) or a read-only view over bytes the engine does not own (initializers, caller inputs).
/// One object per value slot per execution frame; it is rebound on every run, so runs allocate no tensors.
/// </summary>
sealed class RuntimeTensor
{
    int[] _dims = new int[6];
    TensorBuffer? _buffer;
    ReadOnlyMemory<byte> _view;

    public ElementType ElementType { get; private set; }

    public int Rank { get; private set; }

    public int ElementCount { get; private set; }

    public bool IsBound { get; private set; }

    public ReadOnlySpan<int> Dims => _dims.AsSpan(0, Rank);

    public int Dim(int axis) => _dims[axis];

    /// <summary>Bytes per element (1 for bool; 4-bit types are not supported at run time).</summary>
    public int ElementSize => ElementType.BitSize() / 8;

    public int ByteCount => (int)ElementType.ByteCount(ElementCount);

    /// <summary>The contents as packed little-endian bytes.</summary>
    public ReadOnlySpan<byte> Bytes => _buffer is { } buffer ? buffer.Data.AsSpan(0, ByteCount) : _view.Span;

    public ReadOnlySpan<T> Read<T>() where T : unmanaged
    {
        AssertElementSize<T>();
        return MemoryMarshal.Cast<byte, T>(Bytes);
    }

    public Span<T> Write<T>() where T : unmanaged
    {
        AssertElementSize<T>();
        if (_buffer is null)
            throw new InvalidOperationException("a read-only tensor view cannot be written");
        return MemoryMarshal.Cast<byte, T>(_buffer.Data.AsSpan(0, ByteCount));
    }

    /// <summary>Binds to a fresh pooled buffer for <paramref name="dims"/>.</summary>
    public void Allocate(ElementType elementType, ReadOnlySpan<int> dims, BufferPool pool)
    {
        SetShape(elementType, dims);
        _buffer = pool.Rent(ByteCount);
        _view = default;
        IsBound = true;
    }

    /// <summary>Binds to bytes owned elsewhere (read-only).</summary>
    public void BindView(ElementType elementType, ReadOnlySpan<int> dims, ReadOnlyMemory<byte> bytes)
    {
        SetShape(elementType, dims);
        _buffer = null;
        _view = bytes;
        IsBound = true;
    }

    /// <summary>Shares <paramref name="source"/>'s contents under (possibly) other dimensions of the same element count.</summary>
    public void BindAlias(RuntimeTensor source, ReadOnlySpan<int> dims)
    {
        SetShape(source.ElementType, dims);
        _buffer = source._buffer;
        _view = source._view;
        if (_buffer is not null)
            _buffer.ReferenceCount++;
        IsBound = true;
    }

    /// <summary>Drops this tensor's reference; the last reference returns the buffer to the pool that lent it.</summary>
    public void Release()
    {
        if (_buffer is { } buffer && --buffer.ReferenceCount == 0)
            buffer.Owner.Return(buffer);
        _buffer = null;
        _view = default;
        IsBound = false;
    }

    void SetShape(ElementType elementType, ReadOnlySpan<int> dims)
    {
        if (dims.Length > _dims.Length)
            _dims = new int[dims.Length];
        var count = 1L;
        for (var i = 0; i < dims.Length; i++)
        {
            _dims[i] = dims[i];
            count *= dims[i];
        }
        ElementType = elementType;
        Rank = dims.Length;
        ElementCount = checked((int)count);
    }

    [System.Diagnostics.Conditional("ONNXFUSE_ASSERT")]
    void AssertElementSize<T>() where T : unmanaged
    {
        // byte is the raw view the data-movement kernels (Slice, Concat, Gather…) read and write.
        if (typeof(T) != typeof(byte) && ElementType.BitSize() != Unsafe.SizeOf<T>() * 8)
            throw new InvalidOperationException($"{ElementType.DisplayName()} tensor read as {typeof(T).Name}");
    }

    public override string ToString() => $"{ElementType.DisplayName()}[{string.Join(',', _dims[..Rank])}]";
}
