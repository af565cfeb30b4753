using OnnxFuse.Ir.Types;

namespace OnnxFuse.Ir.Inference;

/// <summary>
/// ONNX multidirectional (numpy) broadcasting: shapes align on the right, a dim of 1 stretches to the other size.
/// </summary>
static class Broadcasting
{
    /// <summary>The broadcast shape, or null with <paramref name="error"/> set when two known sizes clash.</summary>
    public static Shape? Shapes(IReadOnlyList<Shape> shapes, out string? error)
    {
        error = null;
        var rank = shapes.Max(s => s.Rank);
        var dims = new Dim[rank];
        for (var k = 0; k < rank; k++)
        {
            Dim? result = null;
            foreach (var shape in shapes)
            {
                var offset = rank - shape.Rank;
                if (k < offset)
                    continue;
                var dim = shape[k - offset];
                if (result is not { } current)
                {
                    result = dim;
                    continue;
                }
                if (dim.Value == 1)
                    continue;
                if (current.Value == 1)
                {
                    result = dim;
                }
                else if (current.IsKnown && dim.IsKnown)
                {
                    if (current.Value != dim.Value)
                    {
                        error = $"cannot broadcast {string.Join(" with ", shapes)}";
                        return null;
                    }
                }
                else if (dim.IsKnown)
                {
                    // A size other than 1 decides: the unknown side must be 1 or the same size.
                    result = dim;
                }
                else if (!current.IsKnown && !DimMath.SameSize(current, dim))
                {
                    result = Dim.Unknown;
                }
            }
            dims[k] = result ?? Dim.Of(1);
        }
        return new Shape(dims);
    }

    /// <summary>
    /// Element-wise combination of known small tensors under broadcasting; null when a shape does not broadcast.
    /// </summary>
    public static PartialData? Data(IReadOnlyList<PartialData> inputs, Func<Dim[], Dim> combine)
    {
        var rank = inputs.Max(d => d.Rank);
        var outDims = new long[rank];
        for (var k = 0; k < rank; k++)
        {
            long size = 1;
            foreach (var input in inputs)
            {
                var offset = rank - input.Rank;
                if (k < offset)
                    continue;
                var dim = input.Dims[k - offset];
                if (dim == 1)
                    continue;
                if (size != 1 && size != dim)
                    return null;
                size = dim;
            }
            outDims[k] = size;
        }
        var count = outDims.Aggregate(1L, (n, d) => n * d);
        if (count > PartialData.MaxElements)
            return null;
        var elements = new Dim[count];
        var operands = new Dim[inputs.Count];
        var index = new long[rank];
        for (var flat = 0; flat < count; flat++)
        {
            var rest = (long)flat;
            for (var k = rank - 1; k >= 0; k--)
            {
                index[k] = rest % outDims[k];
                rest /= outDims[k];
            }
            for (var i = 0; i < inputs.Count; i++)
            {
                var input = inputs[i];
                var offset = rank - input.Rank;
                long position = 0;
                for (var k = 0; k < input.Rank; k++)
                    position = position * input.Dims[k] + (input.Dims[k] == 1 ? 0 : index[k + offset]);
                operands[i] = input.Elements[(int)position];
            }
            elements[flat] = combine(operands);
        }
        return new PartialData(outDims, elements);
    }
}
