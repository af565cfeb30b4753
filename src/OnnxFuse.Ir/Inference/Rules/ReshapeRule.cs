using OnnxFuse.Ir.Types;

namespace OnnxFuse.Ir.Inference.Rules;

/// <summary>
/// Reshape: the target comes from input 1's contents (attribute <c>shape</c> before opset 5); 0 copies the input
/// dim (unless <c>allowzero</c>), −1 takes what is left of the element count. Flatten: [∏ dims before axis,
/// ∏ dims from axis]. Reshape passes known contents through (the order of elements does not change).
/// </summary>
sealed class ReshapeRule : IShapeRule
{
    public static ReshapeRule Instance { get; } = new();

    public void Infer(InferenceContext context)
    {
        var elementType = context.InputElementType(0);
        var input = context.InputShape(0);
        if (context.Node.OpType == "Flatten")
        {
            if (input is null)
            {
                context.SetOutput(0, elementType, new Shape([Dim.Unknown, Dim.Unknown]));
                return;
            }
            var axis = context.Int("axis", 1);
            var split = (int)(axis < 0 ? axis + input.Rank : axis);
            context.SetOutput(0, elementType, new Shape([DimMath.Product(input.Take(split)), DimMath.Product(input.Skip(split))]));
            return;
        }
        IReadOnlyList<Dim>? target = context.Opset < 5
            ? context.Ints("shape")?.Select(Dim.Of).ToArray()
            : context.InputData(1)?.Elements;
        if (target is null)
        {
            var rank = context.InputShape(1) is { Rank: 1 } targetShape ? targetShape[0].Value : null;
            context.SetOutput(0, elementType, rank is { } r ? new Shape(Enumerable.Repeat(Dim.Unknown, (int)r)) : null);
            context.Unknown("Reshape's target shape is not constant");
            return;
        }
        var output = Resolve(context, input, target, context.Int("allowzero", 0) != 0);
        context.SetOutput(0, elementType, output);
        if (context.InputData(0) is { } data && output.TryGetStatic() is { } dims)
            context.SetOutputData(0, data with { Dims = dims });
    }

    static Shape Resolve(InferenceContext context, Shape? input, IReadOnlyList<Dim> target, bool allowZero)
    {
        var dims = new Dim[target.Count];
        var inferIndex = -1;
        for (var k = 0; k < dims.Length; k++)
        {
            var dim = target[k];
            if (dim.Value == 0 && !allowZero)
                dims[k] = input is not null && k < input.Rank ? input[k] : Dim.Unknown;
            else if (dim.Value == -1)
                inferIndex = k;
            else
                dims[k] = dim;
        }
        if (inferIndex >= 0)
        {
            dims[inferIndex] = Dim.Unknown;
            if (input is not null)
                dims[inferIndex] = InferMissing(context, input, dims, inferIndex);
        }
        return new Shape(dims);
    }

    static Dim InferMissing(InferenceContext context, Shape input, Dim[] dims, int inferIndex)
    {
        var total = DimMath.Product(input);
        var known = DimMath.Product(dims.Where((_, k) => k != inferIndex));
        if (total.IsKnown && known.IsKnown)
        {
            if (known.Value == 0 || total.Value % known.Value != 0)
            {
                context.Invalid($"cannot reshape {input} ({total} elements) to [{string.Join(',', dims.Select((d, k) => k == inferIndex ? "-1" : d.ToString()))}]");
                return Dim.Unknown;
            }
            return Dim.Of(total.Value!.Value / known.Value!.Value);
        }
        // Cancel dims common to both sides (batch, sequence) before dividing what is left.
        var remaining = input.ToList();
        var other = new List<Dim>();
        foreach (var dim in dims.Where((_, k) => k != inferIndex))
        {
            var match = remaining.FindIndex(d => DimMath.SameSize(d, dim));
            if (match >= 0)
                remaining.RemoveAt(match);
            else
                other.Add(dim);
        }
        var numerator = DimMath.Product(remaining);
        var denominator = DimMath.Product(other);
        return numerator.IsKnown && denominator.IsKnown && denominator.Value != 0 && numerator.Value % denominator.Value == 0
            ? Dim.Of(numerator.Value!.Value / denominator.Value!.Value)
            : DimMath.FloorDivide(numerator, denominator);
    }
}
