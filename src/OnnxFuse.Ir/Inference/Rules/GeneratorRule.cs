using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;

namespace OnnxFuse.Ir.Inference.Rules;

/// <summary>
/// Operators that create tensors from a shape or a range: ConstantOfShape (shape = input contents, type of
/// <c>value</c>, float by default), Range (length max(⌈(limit − start) / delta⌉, 0)), EyeLike,
/// RandomNormal/RandomUniform (<c>shape</c>, <c>dtype</c>) and their *Like forms.
/// </summary>
sealed class GeneratorRule : IShapeRule
{
    public static GeneratorRule Instance { get; } = new();

    public void Infer(InferenceContext context)
    {
        switch (context.Node.OpType)
        {
            case "ConstantOfShape":
                ConstantOfShape(context);
                break;
            case "Range":
                Range(context);
                break;
            case "RandomNormal" or "RandomUniform":
                context.SetOutput(0, DType(context, ElementType.Float), context.Ints("shape") is { } shape ? Shape.Of([.. shape]) : null);
                break;
            default:
                context.SetOutput(0, DType(context, context.InputElementType(0)), context.InputShape(0));
                break;
        }
    }

    static ElementType? DType(InferenceContext context, ElementType? fallback) =>
        context.Node.FindAttr("dtype") is { } dtype ? (ElementType)dtype.AsInt() : fallback;

    static void ConstantOfShape(InferenceContext context)
    {
        var value = context.Node.FindAttr("value")?.AsTensor();
        var elementType = value?.ElementType ?? ElementType.Float;
        var data = context.InputData(0);
        Shape? shape = data is not null ? new Shape(data.Elements)
            : context.InputShape(0) is { Rank: 1 } lengthShape && lengthShape[0].Value is { } rank ? new Shape(Enumerable.Repeat(Dim.Unknown, (int)rank))
            : null;
        context.SetOutput(0, elementType, shape);
        if (shape?.TryGetStatic() is { } dims && value is not null && dims.Aggregate(1L, (n, d) => n * d) <= PartialData.MaxElements)
        {
            long? fill = elementType switch
            {
                ElementType.Int64 => value.AsSpan<long>()[0],
                ElementType.Int32 => value.AsSpan<int>()[0],
                _ => null,
            };
            if (fill is { } f)
                context.SetOutputData(0, new PartialData(dims, [.. Enumerable.Repeat(Dim.Of(f), (int)dims.Aggregate(1L, (n, d) => n * d))]));
        }
    }

    static void Range(InferenceContext context)
    {
        var elementType = context.InputElementType(0);
        var start = Scalar(context, 0);
        var limit = Scalar(context, 1);
        var delta = Scalar(context, 2);
        if (start is null || limit is null || delta is null || delta == 0)
        {
            context.SetOutput(0, elementType, new Shape([Dim.Unknown]));
            context.Unknown("Range's length depends on start, limit and delta, which are not constant");
            return;
        }
        var length = (long)Math.Max(Math.Ceiling((limit.Value - start.Value) / delta.Value), 0);
        context.SetOutput(0, elementType, Shape.Of(length));
        if (context.InputValues(0) is [var s] && context.InputValues(2) is [var d] && length <= PartialData.MaxElements)
            context.SetOutputData(0, PartialData.Vector(Enumerable.Range(0, (int)length).Select(i => s + i * d)));
    }

    static double? Scalar(InferenceContext context, int index)
    {
        if (context.InputValues(index) is [var value])
            return value;
        return context.InputConstant(index) is { ElementCount: 1 } tensor
            ? tensor.ElementType switch
            {
                ElementType.Float => tensor.AsSpan<float>()[0],
                ElementType.Double => tensor.AsSpan<double>()[0],
                _ => null,
            }
            : null;
    }
}
