using OnnxFuse.Ir.Types;

namespace OnnxFuse.Ir.Inference.Rules;

/// <summary>
/// Concat: inputs agree on every dim but <c>axis</c>, where the output has the sum. Known contents of 1-D
/// inputs are concatenated (how PyTorch exports assemble Reshape targets).
/// </summary>
sealed class ConcatRule : IShapeRule
{
    public static ConcatRule Instance { get; } = new();

    public void Infer(InferenceContext context)
    {
        var elementType = Enumerable.Range(0, context.InputCount).Select(context.InputElementType).FirstOrDefault(t => t is not null);
        var shapes = Enumerable.Range(0, context.InputCount).Where(context.HasInput).Select(context.InputShape).ToList();
        var known = shapes.OfType<Shape>().ToList();
        if (known.Count == 0)
        {
            context.SetOutput(0, elementType, null);
            return;
        }
        var rank = known[0].Rank;
        if (known.Any(s => s.Rank != rank))
        {
            context.Invalid($"inputs have different ranks: {string.Join(", ", known)}");
            return;
        }
        if (DimMath.NormalizeAxis(context.Int("axis", 0), rank) is not { } axis)
        {
            context.Invalid($"axis {context.Int("axis", 0)} is out of range for rank {rank}");
            return;
        }
        var dims = new Dim[rank];
        for (var k = 0; k < rank; k++)
        {
            if (k == axis)
            {
                dims[k] = shapes.Count == known.Count ? known.Select(s => s[k]).Aggregate(DimMath.Add) : Dim.Unknown;
                continue;
            }
            var merged = known[0][k];
            foreach (var shape in known.Skip(1))
            {
                if (!DimMath.TryMerge(merged, shape[k], out merged))
                    context.Invalid($"inputs disagree on dim {k}: {string.Join(", ", known)}");
            }
            dims[k] = merged;
        }
        context.SetOutput(0, elementType, new Shape(dims));
        var data = Enumerable.Range(0, context.InputCount).Where(context.HasInput).Select(context.InputData).ToList();
        if (rank == 1 && data.All(d => d is { Rank: 1 }))
            context.SetOutputData(0, PartialData.Vector([.. data.SelectMany(d => d!.Elements)]));
    }
}
