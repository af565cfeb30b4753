using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;

namespace OnnxFuse.Ir.Inference.Rules;

/// <summary>
/// QuantizeLinear (x's shape; element type of y_zero_point, else <c>output_dtype</c>, else uint8),
/// DequantizeLinear (x's shape; element type of x_scale), DynamicQuantizeLinear (uint8 y, scalar float scale,
/// scalar uint8 zero point).
/// </summary>
sealed class QuantizeRule : IShapeRule
{
    public static QuantizeRule Instance { get; } = new();

    public void Infer(InferenceContext context)
    {
        var x = context.InputShape(0);
        switch (context.Node.OpType)
        {
            case "QuantizeLinear":
                var output = context.InputElementType(2)
                    ?? (context.Node.FindAttr("output_dtype") is { } dtype && dtype.AsInt() != 0 ? (ElementType)dtype.AsInt() : ElementType.UInt8);
                context.SetOutput(0, output, x);
                break;
            case "DequantizeLinear":
                context.SetOutput(0, context.InputElementType(1), x);
                break;
            default:
                context.SetOutput(0, ElementType.UInt8, x);
                context.SetOutput(1, ElementType.Float, Shape.Scalar);
                context.SetOutput(2, ElementType.UInt8, Shape.Scalar);
                break;
        }
    }
}
