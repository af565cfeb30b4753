using OnnxFuse.Ir.Graphs;
using OnnxFuse.Passes.Matching;

namespace OnnxFuse.Passes.Fusions;

/// <summary>
/// An element-wise activation node read as ONNX Runtime's fused ops name it: the op type and its parameters with
/// every default filled in (LeakyRelu [α = 0.01], HardSigmoid [α = 0.2, β = 0.5], Clip [min, max] with the float
/// range as default bounds; Relu, Sigmoid, Tanh none).
/// </summary>
public sealed record FusableActivation(string Name, float[] Parameters)
{
    /// <summary>The activation <paramref name="node"/> applies, or null for other ops and for a Clip with a non-constant bound.</summary>
    public static FusableActivation? TryRead(Node node, long opset)
    {
        if (!node.IsDefaultDomain)
            return null;
        return node.OpType switch
        {
            "Relu" or "Sigmoid" or "Tanh" => new(node.OpType, []),
            "LeakyRelu" => new(node.OpType, [node.GetFloat("alpha", 0.01f)]),
            "HardSigmoid" => new(node.OpType, [node.GetFloat("alpha", 0.2f), node.GetFloat("beta", 0.5f)]),
            "Clip" => ClipBounds(node, opset) is { } bounds ? new(node.OpType, bounds) : null,
            _ => null,
        };
    }

    /// <summary>[min, max]: attributes before opset 11, optional constant inputs after.</summary>
    static float[]? ClipBounds(Node clip, long opset)
    {
        if (opset < 11)
            return [clip.GetFloat("min", float.MinValue), clip.GetFloat("max", float.MaxValue)];
        var min = clip.OptionalInput(1) is { } lower ? Constants.Scalar(lower) : float.MinValue;
        var max = clip.OptionalInput(2) is { } upper ? Constants.Scalar(upper) : float.MaxValue;
        return min is { } a && max is { } b ? [a, b] : null;
    }
}
