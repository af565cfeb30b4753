using OnnxFuse.Ir.Types;

namespace OnnxFuse.Ir.Inference;

/// <summary>
/// The known contents of a small integer tensor (shape arithmetic): each element is a <see cref="Dim"/>, so an
/// element may be a fixed number, a symbol (<c>batch</c> read by <c>Shape</c>) or unknown.
/// <paramref name="Dims"/> is the tensor's static shape (empty for a scalar, one entry for a vector).
/// </summary>
public sealed record PartialData(IReadOnlyList<long> Dims, IReadOnlyList<Dim> Elements)
{
    /// <summary>Largest element count tracked; shape computations stay far below it.</summary>
    public const int MaxElements = 1024;

    public static PartialData Vector(IReadOnlyList<Dim> elements) => new([elements.Count], elements);

    public static PartialData Vector(IEnumerable<long> elements)
    {
        var dims = elements.Select(Dim.Of).ToArray();
        return new([dims.Length], dims);
    }

    public static PartialData Scalar(Dim element) => new([], [element]);

    public int Rank => Dims.Count;

    /// <summary>Every element as a number, or null when one is symbolic or unknown.</summary>
    public long[]? TryGetValues() => Elements.All(e => e.IsKnown) ? [.. Elements.Select(e => e.Value!.Value)] : null;

    public override string ToString() => $"[{string.Join(',', Elements)}]";
}
