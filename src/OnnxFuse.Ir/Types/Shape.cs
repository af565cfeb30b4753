using System.Collections;

namespace OnnxFuse.Ir.Types;

/// <summary>An immutable list of <see cref="Dim"/>s: the static or symbolic shape of a tensor value.</summary>
public sealed class Shape : IReadOnlyList<Dim>, IEquatable<Shape>
{
    readonly Dim[] _dims;

    public Shape(IEnumerable<Dim> dims) => _dims = [.. dims];

    public static Shape Scalar { get; } = new([]);

    public static Shape Of(params long[] dims) => new(dims.Select(Dim.Of));

    public int Rank => _dims.Length;

    public int Count => _dims.Length;

    public Dim this[int index] => _dims[index];

    /// <summary>True when every dimension has a known size.</summary>
    public bool IsStatic => _dims.All(d => d.IsKnown);

    /// <summary>The sizes, when every dimension is known; otherwise null.</summary>
    public long[]? TryGetStatic() => IsStatic ? [.. _dims.Select(d => d.Value!.Value)] : null;

    /// <summary>Number of elements, when static.</summary>
    public long? ElementCount => IsStatic ? _dims.Aggregate(1L, (n, d) => n * d.Value!.Value) : null;

    public IEnumerator<Dim> GetEnumerator() => ((IEnumerable<Dim>)_dims).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _dims.GetEnumerator();

    public bool Equals(Shape? other) => other is not null && _dims.AsSpan().SequenceEqual(other._dims);

    public override bool Equals(object? obj) => obj is Shape other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var d in _dims)
            hash.Add(d);
        return hash.ToHashCode();
    }

    public override string ToString() => $"[{string.Join(',', _dims)}]";
}
