using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Passes.Matching;

/// <summary>
/// Reads constant inputs, whether stored as initializers or as <c>Constant</c> nodes (exporters such as
/// Paddle2ONNX and tf2onnx use both). An initializer that is also a graph input is an overridable default, not a constant.
/// </summary>
public static class Constants
{
    /// <summary>The float32 contents of a constant value, or null when it is not a float32 constant.</summary>
    public static float[]? Floats(Value? value) =>
        value?.ConstantData is { ElementType: ElementType.Float } data ? data.ToArray<float>() : null;

    /// <summary>The integer contents (int64 or int32) of a constant value, or null.</summary>
    public static long[]? Ints(Value? value) => value?.ConstantData switch
    {
        { ElementType: ElementType.Int64 } data => data.ToArray<long>(),
        { ElementType: ElementType.Int32 } data => [.. data.AsSpan<int>().ToArray().Select(v => (long)v)],
        _ => null,
    };

    /// <summary>The single element of a one-element constant (any rank), as a float; null otherwise.</summary>
    public static float? Scalar(Value? value) => value?.ConstantData switch
    {
        { ElementCount: 1, ElementType: ElementType.Float } data => data.AsSpan<float>()[0],
        { ElementCount: 1, ElementType: ElementType.Double } data => (float)data.AsSpan<double>()[0],
        { ElementCount: 1, ElementType: ElementType.Int64 } data => data.AsSpan<long>()[0],
        { ElementCount: 1, ElementType: ElementType.Int32 } data => data.AsSpan<int>()[0],
        _ => null,
    };

    /// <summary>Whether <paramref name="value"/> is a one-element constant within <paramref name="tolerance"/> (relative) of <paramref name="expected"/>.</summary>
    public static bool IsScalar(Value? value, float expected, float tolerance = 1e-4f) =>
        Scalar(value) is { } actual && Math.Abs(actual - expected) <= tolerance * Math.Max(1f, Math.Abs(expected));

    /// <summary>A float32 tensor of the given dims.</summary>
    public static TensorData FloatTensor(ReadOnlySpan<long> dims, ReadOnlySpan<float> values) => TensorData.Create(dims, values);
}
