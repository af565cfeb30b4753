using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Passes.Rewriting;

namespace OnnxFuse.Passes.Quantization.Lowering;

/// <summary>
/// A QDQ matrix product lowered to one int8 op:
/// <code>
///   DequantizeLinear(a_q, s_a, zp_a) ──┐
///   DequantizeLinear(b_q, s_b, zp_b) ──┴─ MatMul | Gemm ─ [Relu | Clip] ─ QuantizeLinear(s_y, zp_y)
///   ⇒ QLinearMatMul(a_q, s_a, zp_a, b_q, s_b, zp_b, s_y, zp_y) [─ Clip(q(lo), q(hi)) on the integers]
/// </code>
/// a per tensor, of y's type (as for <see cref="QdqConvLowering"/>); b per tensor or, when 2-D, per column (axis 1). Gemm only as a plain product: no C, no transposes,
/// alpha 1 — QLinearMatMul has no bias input; a Gemm with one is <see cref="QdqGemmLowering"/>'s.
/// </summary>
public sealed class QdqMatMulLowering : RewriteRule<QdqMatMulLowering.Match>
{
    public sealed record Match(QuantizedOutput Output, DequantizedOperand Left, DequantizedOperand Right);

    public override string Name => "qdq-matmul";

    public override string Summary => "lowers DequantizeLinear → MatMul → QuantizeLinear groups to QLinearMatMul";

    public override OptimizationLevel Level => OptimizationLevel.Extended;

    public override string? RootOpType => "QuantizeLinear";

    public override Match? TryMatch(Node root, PassContext context)
    {
        if (QuantizedOutput.TryRead(root, context.Opset) is not { } output || !IsPlainProduct(output.Producer))
            return null;
        var product = output.Producer;
        if (DequantizedOperand.TryRead(product.Input(0), ElementType.UInt8, ElementType.Int8) is not { IsPerTensor: true } left ||
            left.Quantized.ElementType != output.Type)
            return null;
        if (DequantizedOperand.TryRead(product.Input(1), ElementType.UInt8, ElementType.Int8) is not { } right)
            return null;
        if (!right.IsPerTensor && (right.Quantized.Shape is not { Rank: 2 } shape || right.Axis != 1 || shape[1].Value != right.Scales.Length))
            return null;
        return new Match(output, left, right);
    }

    public override void Rewrite(Match match, PassContext context)
    {
        var (output, left, right) = match;
        var graph = output.Quantize.Graph;
        var name = output.Quantize.Output(0).Name;
        var lowered = graph.AddNode("QLinearMatMul", output.BinaryOpInputs(left, right, graph),
            [graph.UniqueValueName($"{name}_qlinear")], name: graph.UniqueNodeName($"{output.Producer.Name}_quant"));
        output.Replace(lowered.Output(0));
    }

    public override IReadOnlyList<Node> MatchedNodes(Match match) => match.Output.Nodes;

    public override int NodesCreated(Match match) => match.Output.ClampIsSaturation ? 1 : 2;

    static bool IsPlainProduct(Node node) => node.IsDefaultDomain && node.OpType switch
    {
        "MatMul" => true,
        "Gemm" => node.OptionalInput(2) is null && node.GetInt("transA", 0) == 0 && node.GetInt("transB", 0) == 0 &&
            node.GetFloat("alpha", 1f) == 1f,
        _ => false,
    };
}
