using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Passes.Rewriting;

namespace OnnxFuse.Passes.Quantization.Lowering;

/// <summary>
/// A QDQ addition (a residual Add between two quantized tensors) lowered to ONNX Runtime's int8 element-wise op:
/// <code>
///   DequantizeLinear(a_q, s_a, zp_a) ──┐
///   DequantizeLinear(b_q, s_b, zp_b) ──┴─ Add ─ [Relu | Clip] ─ QuantizeLinear(s_c, zp_c)
///   ⇒ com.microsoft.QLinearAdd(a_q, s_a, zp_a, b_q, s_b, zp_b, s_c, zp_c) [─ Clip(q(lo), q(hi)) on the integers]
///   c = saturate(round_half_even(a · s_a/s_c + b · s_b/s_c + zp_c − (zp_a · s_a/s_c + zp_b · s_b/s_c)))
/// </code>
/// a, b and c per tensor and of one type (uint8 or int8: QLinearAdd has a single type parameter), any numpy broadcast of a
/// and b (ONNX Runtime and the engine's kernel broadcast). The result differs from the float simulation only where the
/// reassociated sum rounds differently: at most one output step. The DequantizeLinear nodes stay for their other readers.
/// </summary>
public sealed class QdqAddLowering : RewriteRule<QdqAddLowering.Match>
{
    public sealed record Match(QuantizedOutput Output, DequantizedOperand Left, DequantizedOperand Right);

    public override string Name => "qdq-add";

    public override string Summary => "lowers DequantizeLinear → Add → QuantizeLinear groups to com.microsoft QLinearAdd";

    public override OptimizationLevel Level => OptimizationLevel.Extended;

    public override string? RootOpType => "QuantizeLinear";

    public override Match? TryMatch(Node root, PassContext context)
    {
        if (!context.AllowsMicrosoftOps || QuantizedOutput.TryRead(root, context.Opset) is not { Producer: { OpType: "Add", IsDefaultDomain: true } } output)
            return null;
        var add = output.Producer;
        if (PerTensorOperand(add.Input(0), output.Type) is not { } left || PerTensorOperand(add.Input(1), output.Type) is not { } right)
            return null;
        return new Match(output, left, right);
    }

    public override void Rewrite(Match match, PassContext context)
    {
        var (output, left, right) = match;
        var graph = output.Quantize.Graph;
        var name = output.Quantize.Output(0).Name;
        var lowered = context.AddMicrosoftNode(graph, "QLinearAdd", output.BinaryOpInputs(left, right, graph),
            [graph.UniqueValueName($"{name}_qlinear")], name: graph.UniqueNodeName($"{output.Producer.Name}_quant"));
        output.Replace(lowered.Output(0));
    }

    public override IReadOnlyList<Node> MatchedNodes(Match match) => match.Output.Nodes;

    public override int NodesCreated(Match match) => match.Output.ClampIsSaturation ? 1 : 2;

    /// <summary>The per-tensor DequantizeLinear operand behind <paramref name="value"/> whose quantized type is <paramref name="type"/>.</summary>
    static DequantizedOperand? PerTensorOperand(Value value, ElementType type) =>
        DequantizedOperand.TryRead(value, type) is { IsPerTensor: true } operand ? operand : null;
}
