using OnnxFuse.Ir.Types;

namespace OnnxFuse.Ir.Inference.Rules;

/// <summary>
/// Gather: data.shape[:axis] + indices.shape + data.shape[axis+1:]. GatherElements: indices' shape.
/// GatherND with b batch dims: indices.shape[:-1] + data.shape[b + indices.shape[-1]:].
/// Scatter, ScatterElements and ScatterND: data's shape. Gather of known 1-D contents folds (shape[i]).
/// </summary>
sealed class GatherRule : IShapeRule
{
    public static GatherRule Instance { get; } = new();

    public void Infer(InferenceContext context)
    {
        var elementType = context.InputElementType(0);
        var data = context.InputShape(0);
        var indices = context.InputShape(1);
        switch (context.Node.OpType)
        {
            case "Gather":
                Gather(context, data, indices);
                break;
            case "GatherElements":
                context.SetOutput(0, elementType, indices);
                break;
            case "GatherND":
                context.SetOutput(0, elementType, GatherND(data, indices, (int)context.Int("batch_dims", 0)));
                break;
            default:
                context.SetOutput(0, elementType, data);
                break;
        }
    }

    static void Gather(InferenceContext context, Shape? data, Shape? indices)
    {
        var elementType = context.InputElementType(0);
        if (data is null || indices is null)
        {
            context.SetOutput(0, elementType, null);
            return;
        }
        if (DimMath.NormalizeAxis(context.Int("axis", 0), data.Rank) is not { } axis)
        {
            context.Invalid($"axis {context.Int("axis", 0)} is out of range for shape {data}");
            return;
        }
        context.SetOutput(0, elementType, new Shape([.. data.Take(axis), .. indices, .. data.Skip(axis + 1)]));
        if (data.Rank == 1 && context.InputData(0) is { Rank: 1 } values && context.InputValues(1) is { } picks)
        {
            var count = values.Elements.Count;
            if (picks.Any(p => p < -count || p >= count))
            {
                context.Invalid($"indices [{string.Join(',', picks)}] are out of range for {count} elements");
                return;
            }
            var picked = picks.Select(p => values.Elements[(int)(p < 0 ? p + count : p)]).ToArray();
            context.SetOutputData(0, new PartialData(context.InputData(1)!.Dims, picked));
        }
    }

    static Shape? GatherND(Shape? data, Shape? indices, int batchDims)
    {
        if (data is null || indices is null || indices.Rank == 0 || indices[^1].Value is not { } depth)
            return null;
        return new Shape([.. indices.Take(indices.Rank - 1), .. data.Skip(batchDims + (int)depth)]);
    }
}
