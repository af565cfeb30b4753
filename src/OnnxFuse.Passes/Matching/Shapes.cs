using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Types;

namespace OnnxFuse.Passes.Matching;

/// <summary>Shape questions matchers ask, answered only when shape inference proved the answer.</summary>
public static class Shapes
{
    /// <summary>The size of the last dimension of <paramref name="value"/>, when known.</summary>
    public static long? LastDim(this Value value) => value.Shape is { Rank: > 0 } shape ? shape[shape.Rank - 1].Value : null;

    /// <summary>Whether two dimensions are provably equal: the same known size or the same symbol.</summary>
    public static bool SameDim(Dim first, Dim second) =>
        first.IsKnown ? first.Value == second.Value : first.IsSymbolic && first.Param == second.Param;

    /// <summary>Whether two values provably have the same shape.</summary>
    public static bool SameShape(Value first, Value second) =>
        first.Shape is { } a && second.Shape is { } b && a.Rank == b.Rank && a.Zip(b).All(pair => SameDim(pair.First, pair.Second));
}
