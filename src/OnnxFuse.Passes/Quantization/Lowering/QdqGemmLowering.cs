using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Passes.Rewriting;

namespace OnnxFuse.Passes.Quantization.Lowering;

/// <summary>
/// A QDQ Gemm with a bias (a classifier) lowered to ONNX Runtime's int8 Gemm:
/// <code>
///   DequantizeLinear(a_q, s_a, zp_a) ──┐
///   DequantizeLinear(w_q, s_w, zp_w) ──┼─ Gemm(transB, alpha 1, beta 1) ─ [Relu | Clip] ─ QuantizeLinear(s_y, zp_y)
///   DequantizeLinear(b_q) | float C ───┘
///   ⇒ com.microsoft.QGemm(a_q, s_a, zp_a, w_q, s_w, zp_w, b_q, s_y, zp_y, transB) [─ Clip(q(lo), q(hi)) on the integers]
/// </code>
/// a per tensor, of y's type (as for <see cref="QdqConvLowering"/>); w a constant 2-D weight, per tensor or per output column
/// (axis 0 with transB, axis 1 without); the bias a constant [N] in scale s_a · s_w (see <see cref="QuantizedBias"/>). Gemms without
/// a bias go to <see cref="QdqMatMulLowering"/>, which runs first.
/// </summary>
public sealed class QdqGemmLowering : RewriteRule<QdqGemmLowering.Match>
{
    public sealed record Match(QuantizedOutput Output, DequantizedOperand Input, DequantizedOperand Weight, QuantizedBias Bias);

    public override string Name => "qdq-gemm";

    public override string Summary => "lowers DequantizeLinear → Gemm (with a bias) → QuantizeLinear groups to com.microsoft QGemm";

    public override OptimizationLevel Level => OptimizationLevel.Extended;

    public override string? RootOpType => "QuantizeLinear";

    public override Match? TryMatch(Node root, PassContext context)
    {
        if (!context.AllowsMicrosoftOps || QuantizedOutput.TryRead(root, context.Opset) is not { Producer: { OpType: "Gemm", IsDefaultDomain: true } } output)
            return null;
        var gemm = output.Producer;
        if (gemm.OptionalInput(2) is not { } bias || gemm.GetInt("transA", 0) != 0 || gemm.GetFloat("alpha", 1f) != 1f || gemm.GetFloat("beta", 1f) != 1f)
            return null;
        if (DequantizedOperand.TryRead(gemm.Input(0), ElementType.UInt8, ElementType.Int8) is not { IsPerTensor: true } input ||
            input.Quantized.ElementType != output.Type)
            return null;
        if (DequantizedOperand.TryRead(gemm.Input(1), ElementType.UInt8, ElementType.Int8) is not { } weight ||
            weight.Quantized.ConstantData is not { Rank: 2 } weights)
            return null;
        var transB = gemm.GetInt("transB", 0) != 0;
        var columnCount = (int)weights.Dims[transB ? 0 : 1];
        if (!weight.IsPerTensor && (weight.Axis != (transB ? 0 : 1) || weight.Scales.Length != columnCount))
            return null;
        return QuantizedBias.TryRead(bias, input.Scales[0], weight.Scales, columnCount) is { } quantizedBias
            ? new Match(output, input, weight, quantizedBias)
            : null;
    }

    public override void Rewrite(Match match, PassContext context)
    {
        var (output, input, weight, bias) = match;
        var gemm = output.Producer;
        var graph = gemm.Graph;
        var name = output.Quantize.Output(0).Name;
        var lowered = context.AddMicrosoftNode(graph, "QGemm",
            [input.Quantized, input.Scale, input.ZeroPointOrZero(graph), weight.Quantized, weight.Scale, WeightZeroPoint(weight, graph),
                bias.ValueIn(graph, $"{gemm.Name}_bias_int32"), output.Quantize.Input(1), output.ZeroPointValue(graph)],
            [graph.UniqueValueName($"{name}_qlinear")], [Attr.Int("transB", gemm.GetInt("transB", 0))], graph.UniqueNodeName($"{gemm.Name}_quant"));
        output.Replace(lowered.Output(0));
    }

    public override IReadOnlyList<Node> MatchedNodes(Match match) => match.Output.Nodes;

    /// <summary>The weight's zero point; where it had none, zeros of its scale's shape (ONNX Runtime's QGemm requires the same size).</summary>
    static Value WeightZeroPoint(DequantizedOperand weight, Graph graph)
    {
        if (weight.ZeroPoint is not null || weight.IsPerTensor)
            return weight.ZeroPointOrZero(graph);
        var count = weight.Scales.Length;
        var zeros = weight.Quantized.ElementType == ElementType.Int8 ? TensorData.Create<sbyte>([count], new sbyte[count]) : TensorData.Create<byte>([count], new byte[count]);
        return PassContext.AddConstant(graph, $"{weight.Quantized.Name}_zero_point", zeros);
    }

    public override int NodesCreated(Match match) => match.Output.ClampIsSaturation ? 1 : 2;
}
