using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;

namespace OnnxFuse.Ir.Inference.Rules;

/// <summary>
/// Element-wise operators with multidirectional broadcasting over all inputs (Add, Mul, Equal, Where, Max, Sum…).
/// Output element type: the chosen input's, or bool for comparisons and logic.
/// Known integer contents are folded for the arithmetic of shape computations.
/// </summary>
sealed class ElementwiseRule : IShapeRule
{
    readonly bool _boolOutput;
    readonly int _typeSource;

    ElementwiseRule(bool boolOutput, int typeSource)
    {
        _boolOutput = boolOutput;
        _typeSource = typeSource;
    }

    /// <summary>Arithmetic: the output has the first input's element type.</summary>
    public static ElementwiseRule Arithmetic { get; } = new(false, 0);

    /// <summary>Comparisons and logic: bool output.</summary>
    public static ElementwiseRule Predicate { get; } = new(true, 0);

    /// <summary>Where(condition, x, y): x's element type.</summary>
    public static ElementwiseRule Select { get; } = new(false, 1);

    public void Infer(InferenceContext context)
    {
        var elementType = _boolOutput ? ElementType.Bool : context.InputElementType(_typeSource);
        var shapes = new List<Shape>();
        for (var i = 0; i < context.InputCount; i++)
        {
            if (!context.HasInput(i))
                continue;
            if (context.InputShape(i) is not { } shape)
            {
                context.SetOutput(0, elementType, null);
                context.Unknown($"input '{context.Node.Input(i).Name}' has an unknown rank");
                return;
            }
            shapes.Add(shape);
        }
        if (shapes.Count == 0)
        {
            context.SetOutput(0, elementType, null);
            return;
        }
        var output = Broadcasting.Shapes(shapes, out var error);
        if (error is not null)
            context.Invalid(error);
        context.SetOutput(0, elementType, output);
        context.SetOutputData(0, FoldData(context));
    }

    static PartialData? FoldData(InferenceContext context)
    {
        Func<Dim[], Dim>? combine = context.Node.OpType switch
        {
            "Add" => d => DimMath.Add(d[0], d[1]),
            "Sub" => d => DimMath.Subtract(d[0], d[1]),
            "Mul" => d => DimMath.Multiply(d[0], d[1]),
            "Div" => d => d[0].IsKnown && d[1].IsKnown && d[1].Value != 0 ? Dim.Of(d[0].Value!.Value / d[1].Value!.Value)
                : d[1].Value == 1 ? d[0] : Dim.Unknown,
            "Max" => d => d.All(x => x.IsKnown) ? Dim.Of(d.Max(x => x.Value!.Value)) : Dim.Unknown,
            "Min" => d => d.All(x => x.IsKnown) ? Dim.Of(d.Min(x => x.Value!.Value)) : Dim.Unknown,
            "Equal" => d => DimMath.SameSize(d[0], d[1]) ? Dim.Of(1)
                : d[0].IsKnown && d[1].IsKnown ? Dim.Of(0) : Dim.Unknown,
            "Less" => d => Compare(d, (a, b) => a < b),
            "Greater" => d => Compare(d, (a, b) => a > b),
            "LessOrEqual" => d => Compare(d, (a, b) => a <= b),
            "GreaterOrEqual" => d => Compare(d, (a, b) => a >= b),
            "Where" => d => d[0].Value is { } condition ? (condition != 0 ? d[1] : d[2]) : Dim.Unknown,
            _ => null,
        };
        if (combine is null || context.InputCount < 2)
            return null;
        var inputs = new List<PartialData>();
        for (var i = 0; i < context.InputCount; i++)
        {
            if (context.InputData(i) is not { } data)
                return null;
            inputs.Add(data);
        }
        return Broadcasting.Data(inputs, combine);
    }

    static Dim Compare(Dim[] d, Func<long, long, bool> predicate) =>
        d[0].IsKnown && d[1].IsKnown ? Dim.Of(predicate(d[0].Value!.Value, d[1].Value!.Value) ? 1 : 0) : Dim.Unknown;
}
