using System.Runtime.InteropServices;
using System.Text;

namespace OnnxFuse.Ir.Tensors;

/// <summary>
/// An immutable tensor value: element type, dimensions and contents.
/// Non-string contents are packed little-endian bytes (ONNX's <c>raw_data</c> layout; 4-bit types two per byte),
/// held as <see cref="ReadOnlyMemory{T}"/> so a loader can hand over the buffer it parsed without copying it.
/// String tensors hold one byte string per element.
/// </summary>
public sealed class TensorData
{
    readonly long[] _dims;

    TensorData(ElementType elementType, long[] dims, ReadOnlyMemory<byte> bytes, byte[][]? strings, string? name)
    {
        ElementType = elementType;
        _dims = dims;
        Bytes = bytes;
        Strings = strings;
        Name = name;
        ElementCount = CountElements(dims);
    }

    public ElementType ElementType { get; }

    /// <summary>Dimensions; empty for a scalar.</summary>
    public IReadOnlyList<long> Dims => _dims;

    public int Rank => _dims.Length;

    public long ElementCount { get; }

    /// <summary>Packed contents of a non-string tensor (empty for strings).</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    /// <summary>Contents of a string tensor, one byte string per element; null for other types.</summary>
    public IReadOnlyList<byte[]>? Strings { get; }

    /// <summary>The name the tensor carried in its file, when it was stored on its own (test data, attribute values).</summary>
    public string? Name { get; }

    /// <summary>Creates a tensor over packed bytes, taking ownership of the memory (no copy).</summary>
    public static TensorData FromBytes(ElementType elementType, ReadOnlySpan<long> dims, ReadOnlyMemory<byte> bytes, string? name = null)
    {
        if (elementType == ElementType.String)
            throw new ArgumentException("string tensors are created with FromStrings", nameof(elementType));
        var dimArray = dims.ToArray();
        var expected = elementType.ByteCount(CountElements(dimArray));
        if (bytes.Length != expected)
            throw new ArgumentException(
                $"{elementType.DisplayName()} tensor of shape [{string.Join(',', dimArray)}] needs {expected} bytes, got {bytes.Length}", nameof(bytes));
        return new TensorData(elementType, dimArray, bytes, null, name);
    }

    public static TensorData FromStrings(ReadOnlySpan<long> dims, IEnumerable<byte[]> values, string? name = null)
    {
        var dimArray = dims.ToArray();
        var strings = values.ToArray();
        if (strings.Length != CountElements(dimArray))
            throw new ArgumentException($"string tensor of shape [{string.Join(',', dimArray)}] needs {CountElements(dimArray)} elements, got {strings.Length}", nameof(values));
        return new TensorData(ElementType.String, dimArray, ReadOnlyMemory<byte>.Empty, strings, name);
    }

    public static TensorData FromStrings(ReadOnlySpan<long> dims, IEnumerable<string> values, string? name = null) =>
        FromStrings(dims, values.Select(Encoding.UTF8.GetBytes), name);

    /// <summary>Copies <paramref name="values"/> into a new tensor of the matching element type.</summary>
    public static TensorData Create<T>(ReadOnlySpan<long> dims, ReadOnlySpan<T> values, string? name = null) where T : unmanaged =>
        FromBytes(ElementTypes.Of<T>(), dims, MemoryMarshal.AsBytes(values).ToArray(), name);

    public static TensorData Scalar<T>(T value, string? name = null) where T : unmanaged => Create<T>([], [value], name);

    /// <summary>Contents viewed as <typeparamref name="T"/>; the type must match <see cref="ElementType"/>'s size.</summary>
    public ReadOnlySpan<T> AsSpan<T>() where T : unmanaged
    {
        var size = System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        if (ElementType.BitSize() != size * 8)
            throw new InvalidOperationException($"cannot view {ElementType.DisplayName()} tensor as {typeof(T).Name}");
        return MemoryMarshal.Cast<byte, T>(Bytes.Span);
    }

    public T[] ToArray<T>() where T : unmanaged => AsSpan<T>().ToArray();

    /// <summary>A copy with other dimensions and the same contents (same element count required).</summary>
    public TensorData WithDims(ReadOnlySpan<long> dims) => Strings is null
        ? FromBytes(ElementType, dims, Bytes, Name)
        : FromStrings(dims, Strings, Name);

    public TensorData WithName(string? name) => new(ElementType, _dims, Bytes, Strings is null ? null : [.. Strings], name);

    /// <summary>Bytes the contents occupy (string tensors: the sum of their byte lengths).</summary>
    public long ByteLength => Strings is null ? Bytes.Length : Strings.Sum(s => (long)s.Length);

    /// <summary>Same element type, dimensions and contents (names are ignored). Floats compare by bits, so NaN equals NaN.</summary>
    public bool ContentEquals(TensorData other)
    {
        if (ElementType != other.ElementType || !_dims.AsSpan().SequenceEqual(other._dims))
            return false;
        if (Strings is not null)
            return other.Strings is not null && Strings.Count == other.Strings.Count
                && Strings.Zip(other.Strings).All(p => p.First.AsSpan().SequenceEqual(p.Second));
        return Bytes.Span.SequenceEqual(other.Bytes.Span);
    }

    public override string ToString() => $"{ElementType.DisplayName()}[{string.Join(',', _dims)}]";

    static long CountElements(long[] dims)
    {
        long count = 1;
        foreach (var d in dims)
        {
            if (d < 0)
                throw new ArgumentException($"negative dimension {d} in a tensor's shape");
            count = checked(count * d);
        }
        return count;
    }
}
