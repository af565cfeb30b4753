using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;

namespace OnnxFuse.Ir.Inference.Rules;

/// <summary>
/// TopK: Values (input type) and Indices (int64) have the input's shape with dim <c>axis</c> (default −1)
/// replaced by k, an attribute in opset 1 and input 1 from opset 10 on.
/// </summary>
sealed class TopKRule : IShapeRule
{
    public static TopKRule Instance { get; } = new();

    public void Infer(InferenceContext context)
    {
        var elementType = context.InputElementType(0);
        var x = context.InputShape(0);
        Shape? output = null;
        if (x is not null && DimMath.NormalizeAxis(context.Int("axis", -1), x.Rank) is { } axis)
        {
            var k = context.Opset < 10 ? context.Int("k", -1) : context.InputValues(1) is [var value] ? value : -1;
            var dims = x.ToArray();
            dims[axis] = k >= 0 ? Dim.Of(k) : Dim.Unknown;
            output = new Shape(dims);
            if (k < 0)
                context.Unknown("k is not constant");
        }
        context.SetOutput(0, elementType, output);
        context.SetOutput(1, ElementType.Int64, output);
    }
}
