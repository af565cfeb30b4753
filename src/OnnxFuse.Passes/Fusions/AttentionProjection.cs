using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Passes.Matching;
using OnnxFuse.Passes.Rewriting;

namespace OnnxFuse.Passes.Fusions;

/// <summary>
/// One of the Q, K, V projections of an attention block, split into heads:
/// <code>
///   X [B, S, D_in] → MatMul(W [D_in, D]) → Add(b [D], either operand; optional) → Reshape [B, S, N, H]   (N·H = D)
/// </code>
/// W and b are float32 constants. com.microsoft FusedMatMul counts as MatMul when it is one (alpha 1, no transposes).
/// Scalar Mul/Div nodes after the bias are skipped and their factor multiplied into the caller's scale.
/// </summary>
public sealed record AttentionProjection(Value Input, Value Weight, Value? Bias, long HeadCount, long HeadSize)
{
    static readonly string[] s_transposeFlags = ["transA", "transB", "transBatchA", "transBatchB"];

    public long Hidden => HeadCount * HeadSize;

    /// <summary>The projection whose head-split value is <paramref name="heads"/> ([B, S, N, H]), or null.</summary>
    public static AttentionProjection? TryMatch(Value heads, ref double scale, List<Node> nodes)
    {
        if (AttentionSteps.SkipScalars(heads, ref scale, nodes).ProducedBy("Reshape") is not { } reshape)
            return null;
        var projected = AttentionSteps.SkipScalars(reshape.Input(0), ref scale, nodes);
        Value? bias = null;
        if (projected.ProducedBy("Add") is { } add)
        {
            var biasFirst = add.Input(0).IsConstant;
            bias = add.Input(biasFirst ? 0 : 1);
            projected = add.Input(biasFirst ? 1 : 0);
            nodes.Add(add);
        }
        if (projected.Producer is not { } matMul || !IsPlainMatMul(matMul))
            return null;
        var input = matMul.Input(0);
        var weight = matMul.Input(1);
        if (input.Shape is not { Rank: 3 } || weight.ConstantData is not { ElementType: ElementType.Float, Dims: [_, var hidden] })
            return null;
        if (bias is not null && !IsFloatVector(bias, hidden))
            return null;
        if (AttentionSteps.SplitsHeads(reshape, hidden) is not { } split)
            return null;
        nodes.Add(matMul);
        nodes.Add(reshape);
        return new AttentionProjection(input, weight, bias, split.Count, split.Size);
    }

    static bool IsFloatVector(Value value, long length) =>
        value.ConstantData is { ElementType: ElementType.Float, Dims: [var actual] } && actual == length;

    static bool IsPlainMatMul(Node node) => node.OpType switch
    {
        "MatMul" => node.IsDefaultDomain,
        "FusedMatMul" => node.Domain == PassContext.MicrosoftDomain && node.GetFloat("alpha", 1f) == 1f
            && s_transposeFlags.All(flag => node.GetInt(flag, 0) == 0),
        _ => false,
    };
}
