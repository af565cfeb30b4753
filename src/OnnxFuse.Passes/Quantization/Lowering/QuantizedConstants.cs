using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Passes.Rewriting;

namespace OnnxFuse.Passes.Quantization.Lowering;

/// <summary>New uint8/int8 scalar constants for the lowered ops' zero points and integer clamp bounds.</summary>
static class QuantizedConstants
{
    public static (int Min, int Max) Range(ElementType type) => type == ElementType.Int8 ? (-128, 127) : (0, 255);

    public static Value Scalar(Graph graph, ElementType type, int value, string hint) => PassContext.AddConstant(graph, hint,
        type == ElementType.Int8 ? TensorData.Scalar((sbyte)value) : TensorData.Scalar((byte)value));

    public static Value Zero(Graph graph, ElementType type, string hint) => Scalar(graph, type, 0, hint);
}
