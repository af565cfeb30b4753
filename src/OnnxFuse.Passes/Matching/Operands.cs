using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Passes.Matching;

/// <summary>
/// Operands of commutative binary nodes (Add, Mul) whose order exporters do not fix: the other operand, the
/// constant one, and small constants that cannot change a result's shape by broadcasting.
/// </summary>
public static class Operands
{
    /// <summary>The operand of a two-input <paramref name="node"/> that is not <paramref name="known"/>; null when neither is.</summary>
    public static Value? Other(Node node, Value known) =>
        node.Inputs.Count != 2 ? null
        : ReferenceEquals(node.Inputs[0], known) ? node.Inputs[1]
        : ReferenceEquals(node.Inputs[1], known) ? node.Inputs[0]
        : null;

    /// <summary>The (variable, constant) operands of a two-input node when exactly one of them is constant.</summary>
    public static (Value Variable, Value Constant)? SplitConstant(Node node)
    {
        if (node.Inputs.Count != 2 || node.Inputs[0] is not { } first || node.Inputs[1] is not { } second || first.IsConstant == second.IsConstant)
            return null;
        return first.IsConstant ? (second, first) : (first, second);
    }

    /// <summary>The element of a one-element constant of rank 0 or 1, which never widens a broadcast result; null otherwise.</summary>
    public static float? Scalar(Value? value) => value?.ConstantData is { Dims.Count: <= 1 } ? Constants.Scalar(value) : null;

    /// <summary>Whether <paramref name="value"/> is a <see cref="Scalar"/> within <paramref name="relativeTolerance"/> of <paramref name="expected"/> (0: exactly).</summary>
    public static bool IsScalar(Value? value, float expected, float relativeTolerance = 0f) =>
        Scalar(value) is { } actual && Math.Abs(actual - expected) <= relativeTolerance * Math.Abs(expected);

    /// <summary>Whether <paramref name="value"/> is a float32 constant of shape [<paramref name="length"/>].</summary>
    public static bool IsFloatVector(Value? value, long length) =>
        value?.ConstantData is { ElementType: ElementType.Float, Dims: [var size] } && size == length;
}
