using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Ir.Inference.Rules;

/// <summary>
/// Operators whose outputs have their first input's shape: activations and unary math (Relu, Erf, Sqrt, Softmax,
/// Clip, Identity, Dropout…). Element type is the input's, or bool for predicates (Not, IsNaN, IsInf).
/// Dropout's optional mask output is bool. Identity and Dropout pass known contents through.
/// </summary>
sealed class UnaryRule : IShapeRule
{
    readonly ElementType? _outputType;

    UnaryRule(ElementType? outputType) => _outputType = outputType;

    public static UnaryRule SameType { get; } = new(null);

    public static UnaryRule ToBool { get; } = new(ElementType.Bool);

    public void Infer(InferenceContext context)
    {
        var elementType = _outputType ?? context.InputElementType(0);
        var shape = context.InputShape(0);
        context.SetOutput(0, elementType, shape);
        if (context.Node.OpType is "Identity" or "Dropout")
        {
            context.PassThrough(0);
            context.SetOutputData(0, context.InputData(0));
        }
        if (context.Node.OpType == "Dropout")
            context.SetOutput(1, ElementType.Bool, shape);
    }
}
