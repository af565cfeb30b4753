using OnnxFuse.Ir.Errors;

namespace OnnxFuse.Engine.Simd;

/// <summary>Length and aliasing checks shared by the element-wise drivers.</summary>
static class ElementwiseChecks
{
    /// <summary>
    /// The destination must hold <paramref name="length"/> elements and may alias a source only exactly
    /// (in place), because the tail vector is computed before the body writes.
    /// </summary>
    public static void Destination(int length, ReadOnlySpan<float> source, Span<float> destination)
    {
        if (destination.Length < length)
            Throw.ShapeMismatch($"Element-wise destination holds {destination.Length} elements; {length} needed.");
        if (source.Overlaps(destination, out var offset) && offset != 0)
            Throw.ShapeMismatch("Element-wise source and destination overlap partially; only exact in-place use is allowed.");
    }

    public static void SameLength(ReadOnlySpan<float> left, ReadOnlySpan<float> right)
    {
        if (left.Length != right.Length)
            Throw.ShapeMismatch($"Element-wise operands have {left.Length} and {right.Length} elements.");
    }
}
