using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;

namespace OnnxFuse.Ir.Inference;

/// <summary>
/// Combining a value's declared type with an inferred one, and joining the types of alternative branches.
/// </summary>
static class TypeMerge
{
    /// <summary>
    /// The more precise of two descriptions of the same value, dim by dim; the declared one wins ties.
    /// <paramref name="conflict"/> describes a disagreement (the declared part is kept), or is null.
    /// </summary>
    public static OnnxType Merge(OnnxType declared, OnnxType inferred, out string? conflict)
    {
        conflict = null;
        if (declared is not TensorType d || inferred is not TensorType i)
            return declared;
        var elementType = d.ElementType;
        if (elementType == ElementType.Undefined)
            elementType = i.ElementType;
        else if (i.ElementType != ElementType.Undefined && i.ElementType != elementType)
            conflict = $"is declared {d} but inferred {i} (element type)";
        var shape = MergeShapes(d.Shape, i.Shape, out var shapeConflict);
        if (shapeConflict && conflict is null)
            conflict = $"is declared {d} but inferred {i}";
        return d with { ElementType = elementType, Shape = shape };
    }

    static Shape? MergeShapes(Shape? declared, Shape? inferred, out bool conflict)
    {
        conflict = false;
        if (declared is null)
            return inferred;
        if (inferred is null)
            return declared;
        if (declared.Rank != inferred.Rank)
        {
            conflict = true;
            return declared;
        }
        var dims = new Dim[declared.Rank];
        for (var k = 0; k < dims.Length; k++)
        {
            if (!DimMath.TryMerge(declared[k], inferred[k], out dims[k]))
                conflict = true;
        }
        return new Shape(dims);
    }

    /// <summary>
    /// A type that covers both alternatives (If branches, loop iterations): same element type, and per dim the
    /// common size where both agree, else unknown; null rank when ranks differ.
    /// </summary>
    public static OnnxType? Join(OnnxType? a, OnnxType? b)
    {
        if (a is null || b is null)
            return a ?? b;
        if (a is not TensorType ta || b is not TensorType tb)
            return Equals(a, b) ? a : null;
        var elementType = ta.ElementType == tb.ElementType ? ta.ElementType
            : ta.ElementType == ElementType.Undefined ? tb.ElementType
            : tb.ElementType == ElementType.Undefined ? ta.ElementType
            : ElementType.Undefined;
        Shape? shape = null;
        if (ta.Shape is { } sa && tb.Shape is { } sb && sa.Rank == sb.Rank)
            shape = new Shape(sa.Zip(sb, (x, y) => DimMath.SameSize(x, y) ? x : Dim.Unknown));
        return new TensorType(elementType, shape);
    }
}
