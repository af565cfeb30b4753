using OnnxFuse.Ir.Types;

namespace OnnxFuse.Compose;

/// <summary>
/// The type of an input shared by every model: one element type, and per dim the most precise size (a fixed size
/// beats a symbol; two symbols keep the first; two fixed sizes must agree). Anything else is a
/// <see cref="Ir.Errors.ShapeMismatchException"/> naming both models.
/// </summary>
static class SharedInputType
{
    public static OnnxType Unify(IReadOnlyList<PreparedModel> models)
    {
        foreach (var model in models)
        {
            if (model.Graph.Inputs.Count != 1)
                throw new Ir.Errors.ShapeMismatchException(
                    $"cannot share one input: model '{model.Name}' has {model.Graph.Inputs.Count} inputs ({string.Join(", ", model.OriginalInputNames)}), sharing needs exactly one per model");
        }
        var first = models[0];
        if (first.Graph.Inputs[0].Type is not TensorType firstType)
            throw new Ir.Errors.ShapeMismatchException($"cannot share one input: input '{first.OriginalInputNames[0]}' of model '{first.Name}' is not a typed tensor");
        var shape = firstType.Shape;
        foreach (var model in models.Skip(1))
        {
            var type = model.Graph.Inputs[0].Type as TensorType;
            if (type is null || type.ElementType != firstType.ElementType)
                throw Mismatch(first, firstType, model, type, "element types differ");
            if (shape is null || type.Shape is null)
            {
                shape ??= type.Shape;
                continue;
            }
            if (shape.Rank != type.Shape.Rank)
                throw Mismatch(first, firstType, model, type, "ranks differ");
            var dims = new Dim[shape.Rank];
            for (var d = 0; d < dims.Length; d++)
            {
                var (a, b) = (shape[d], type.Shape[d]);
                if (a.IsKnown && b.IsKnown && a.Value != b.Value)
                    throw Mismatch(first, firstType, model, type, $"dim {d} is {a} vs {b}");
                dims[d] = a.IsKnown ? a : b.IsKnown ? b : a.IsSymbolic ? a : b;
            }
            shape = new Shape(dims);
        }
        return firstType with { Shape = shape };
    }

    static Ir.Errors.ShapeMismatchException Mismatch(PreparedModel first, TensorType firstType, PreparedModel other, TensorType? otherType, string what) =>
        new($"cannot share one input: model '{other.Name}' input '{other.OriginalInputNames[0]}' is {otherType?.ToString() ?? "untyped"} "
            + $"but model '{first.Name}' input '{first.OriginalInputNames[0]}' is {firstType} ({what})");
}
