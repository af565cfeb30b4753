using OnnxFuse.Ir.Types;

namespace OnnxFuse.Ir.Inference.Rules;

/// <summary>
/// Expand: the input broadcast with the shape in input 1's contents. Tile: each dim times its repeat count.
/// </summary>
sealed class ExpandTileRule : IShapeRule
{
    public static ExpandTileRule Instance { get; } = new();

    public void Infer(InferenceContext context)
    {
        var elementType = context.InputElementType(0);
        var input = context.InputShape(0);
        var argument = context.InputData(1);
        var argumentLength = context.InputShape(1) is { Rank: 1 } lengthShape ? lengthShape[0].Value : null;
        if (context.Node.OpType == "Tile")
        {
            if (input is null)
            {
                context.SetOutput(0, elementType, null);
                return;
            }
            context.SetOutput(0, elementType, argument is null
                ? new Shape(input.Select(_ => Dim.Unknown))
                : new Shape(input.Zip(argument.Elements, DimMath.Multiply)));
            return;
        }
        if (input is null || argument is null)
        {
            var rank = input is not null && argumentLength is { } length ? Math.Max(input.Rank, (int)length) : (int?)null;
            context.SetOutput(0, elementType, rank is { } r ? new Shape(Enumerable.Repeat(Dim.Unknown, r)) : null);
            context.Unknown("Expand's target shape is not constant");
            return;
        }
        var output = Broadcasting.Shapes([input, new Shape(argument.Elements)], out var error);
        if (error is not null)
            context.Invalid(error);
        context.SetOutput(0, elementType, output);
        if (context.InputData(0) is { } data && output?.TryGetStatic() is { } dims)
            context.SetOutputData(0, Broadcasting.Data([data, new PartialData(dims, [.. Enumerable.Repeat(Dim.Of(0), (int)dims.Aggregate(1L, (n, d) => n * d))])], d => d[0]));
    }
}
