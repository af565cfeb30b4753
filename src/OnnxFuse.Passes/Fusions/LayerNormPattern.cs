using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Passes.Matching;
using OnnxFuse.Passes.Rewriting;

namespace OnnxFuse.Passes.Fusions;

/// <summary>
/// Layer normalization over the last axis, read backwards from its last node: the chain exporters write below
/// opset 17 (and some above it):
/// <code>
/// μ = ReduceMean(x, [-1]);  d = x − μ;  σ² = ReduceMean(d², [-1]);  y = d / √(σ² + ε) · γ + β
/// </code>
/// d² is Pow(d, 2) or Mul(d, d); γ and β (float32 constants of shape [hidden]) are optional and their Mul and
/// Add take either operand order. <see cref="Nodes"/> are the nodes the normalization replaces.
/// </summary>
public sealed record LayerNormPattern(Value Input, Value? Scale, Value? Bias, float Epsilon, long HiddenSize, Node Last, IReadOnlyList<Node> Nodes)
{
    /// <summary>The decomposed chain ending at <paramref name="last"/> (the Add of β, the Mul of γ, or the Div).</summary>
    public static LayerNormPattern? FromChain(Node last)
    {
        if (AffineTail.Read(last) is not { Core: { OpType: "Div", IsDefaultDomain: true } div } tail)
            return null;
        var centered = div.Input(0);
        if (centered.ProducedBy("Sub") is not { } sub || sub.Input(1).ProducedBy("ReduceMean") is not { } mean)
            return null;
        var x = sub.Input(0);
        if (!ReferenceEquals(mean.Input(0), x) || !IsLastAxisMean(mean, x) || !mean.Output(0).IsOnlyReadBy(sub))
            return null;
        if (RootMeanSquare.Read(div.Input(1), centered) is not { } rms || !centered.IsOnlyReadBy([rms.Square, div]))
            return null;
        if (x.ElementType != ElementType.Float || x.LastDim() is not { } hidden || !tail.Fits(hidden))
            return null;
        return new LayerNormPattern(x, tail.Scale, tail.Bias, rms.Epsilon, hidden, last, [mean, sub, .. rms.Nodes, div, .. tail.Nodes]);
    }

    /// <summary>γ, or ones when the pattern had no scale (LayerNormalization and its fused forms require one).</summary>
    public Value ScaleOrOnes(Graph graph) =>
        Scale ?? PassContext.AddConstant(graph, $"{Last.Name}_scale", TensorData.Create<float>([HiddenSize], Enumerable.Repeat(1f, (int)HiddenSize).ToArray()));

    /// <summary>Whether <paramref name="reduceMean"/> averages one axis, the last of <paramref name="input"/>, keeping it.</summary>
    public static bool IsLastAxisMean(Node reduceMean, Value input)
    {
        if (reduceMean.GetInt("keepdims", 1) != 1 || input.Shape is not { Rank: > 0 } shape)
            return false;
        // Axes are an attribute before opset 18 and an input from 18 on.
        var axes = reduceMean.OptionalInput(1) is { } axesInput ? Constants.Ints(axesInput) : reduceMean.GetInts("axes")?.ToArray();
        return axes is [var axis] && (axis == -1 || axis == shape.Rank - 1);
    }

    static bool IsHiddenVector(Value value, long hidden) =>
        value.ElementType == ElementType.Float && value.Shape is { Rank: 1 } shape && shape[0].Value == hidden;
}
