using OnnxFuse.Ir.Graphs;
using OnnxFuse.Passes.Matching;

namespace OnnxFuse.Passes.Fusions;

/// <summary>
/// The optional per-channel affine map that ends a normalization, read backwards from its last node:
/// <c>y = core · γ + β</c>, <c>core · γ</c>, <c>core + β</c> or just <c>core</c>, with γ and β constant vectors
/// and the Mul and Add in either operand order. <see cref="Nodes"/> are the Mul and Add, outermost first.
/// </summary>
public sealed record AffineTail(Node Core, Value? Scale, Value? Bias, IReadOnlyList<Node> Nodes)
{
    /// <summary>
    /// The tail ending at <paramref name="last"/>, or null when a longer tail ends further on (a Mul or Add of a
    /// constant vector reads <paramref name="last"/> alone), so the normalization is matched once, at its real end.
    /// </summary>
    public static AffineTail? Read(Node last)
    {
        var node = last;
        var nodes = new List<Node>();
        var bias = Peel(ref node, "Add", nodes);
        var scale = Peel(ref node, "Mul", nodes);
        if (node is null || last.Output(0).SoleConsumer() is { } next && (bias is null && IsVectorStep(next, "Add") || scale is null && bias is null && IsVectorStep(next, "Mul")))
            return null;
        return new AffineTail(node, scale, bias, nodes);
    }

    /// <summary>Whether γ and β (when present) are float32 vectors of the normalized size.</summary>
    public bool Fits(long hidden) =>
        (Scale is null || Operands.IsFloatVector(Scale, hidden)) && (Bias is null || Operands.IsFloatVector(Bias, hidden));

    /// <summary>When <paramref name="node"/> is <paramref name="opType"/>(v, c) with c a constant vector, steps to v's producer and returns c.</summary>
    static Value? Peel(ref Node? node, string opType, List<Node> nodes)
    {
        if (node is null || !IsVectorStep(node, opType))
            return null;
        var (variable, constant) = Operands.SplitConstant(node)!.Value;
        if (!variable.IsOnlyReadBy(node))
            return null;
        nodes.Add(node);
        node = variable.Producer;
        return constant;
    }

    static bool IsVectorStep(Node node, string opType) =>
        node.OpType == opType && node.IsDefaultDomain && Operands.SplitConstant(node) is { Constant.ConstantData.Dims.Count: 1 };
}
