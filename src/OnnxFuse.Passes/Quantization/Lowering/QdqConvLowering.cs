using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Passes.Rewriting;

namespace OnnxFuse.Passes.Quantization.Lowering;

/// <summary>
/// A QDQ convolution group as ONNX Runtime's QDQ selectors see it, lowered to one int8 op:
/// <code>
///   DequantizeLinear(x_q, s_x, zp_x) ──┐
///   DequantizeLinear(w_q, s_w, zp_w) ──┼─ Conv | FusedConv(Relu|Clip) ─ [Relu | Clip] ─ QuantizeLinear(s_y, zp_y)
///   [DequantizeLinear(b_q) | float B] ─┘
///   ⇒ QLinearConv(x_q, s_x, zp_x, w_q, s_w, zp_w, s_y, zp_y, b_q) [─ Clip(q(lo), q(hi)) on the integers]
/// </code>
/// x per tensor, w per tensor or per output channel (axis 0), uint8 or int8, x and y of one type (ONNX Runtime's CPU QLinearConv
/// has no u8 → s8 kernel, and the lowered model should run there too); the bias in scale s_x · s_w (see
/// <see cref="QuantizedBias"/>). The activation is exact in the integer domain (see <see cref="QuantizedOutput"/>). The result
/// differs from the float simulation only where (acc + b) · s_x · s_w / s_y rounds differently: at most one output step.
/// The input's DequantizeLinear stays for its other readers.
/// </summary>
public sealed class QdqConvLowering : RewriteRule<QdqConvLowering.Match>
{
    public sealed record Match(QuantizedOutput Output, DequantizedOperand Input, DequantizedOperand Weight, QuantizedBias Bias);

    public override string Name => "qdq-conv";

    public override string Summary => "lowers DequantizeLinear → Conv → QuantizeLinear groups to QLinearConv";

    public override OptimizationLevel Level => OptimizationLevel.Extended;

    public override string? RootOpType => "QuantizeLinear";

    public override Match? TryMatch(Node root, PassContext context)
    {
        if (QuantizedOutput.TryRead(root, context.Opset) is not { } output || ClampedByFusedActivation(output) is not { } clamped)
            return null;
        var conv = output.Producer;
        if (DequantizedOperand.TryRead(conv.Input(0), ElementType.UInt8, ElementType.Int8) is not { IsPerTensor: true } input ||
            input.Quantized.ElementType != output.Type)
            return null;
        if (DequantizedOperand.TryRead(conv.Input(1), ElementType.UInt8, ElementType.Int8) is not { } weight ||
            weight.Quantized.ConstantData is not { Rank: >= 3 } weights)
            return null;
        var channelCount = (int)weights.Dims[0];
        if (!weight.IsPerTensor && (weight.Axis != 0 || weight.Scales.Length != channelCount))
            return null;
        return QuantizedBias.TryRead(conv.OptionalInput(2), input.Scales[0], weight.Scales, channelCount) is { } bias
            ? new Match(clamped, input, weight, bias)
            : null;
    }

    public override void Rewrite(Match match, PassContext context)
    {
        var (output, input, weight, bias) = match;
        var conv = output.Producer;
        var graph = conv.Graph;
        var name = output.Quantize.Output(0).Name;
        var lowered = graph.AddNode("QLinearConv",
            [input.Quantized, input.Scale, input.ZeroPointOrZero(graph), weight.Quantized, weight.Scale, weight.ZeroPointOrZero(graph),
                output.Quantize.Input(1), output.ZeroPointValue(graph), bias.ValueIn(graph, $"{conv.Name}_bias_int32")],
            [graph.UniqueValueName($"{name}_qlinear")], conv.Attributes.Where(a => a.Name is not ("activation" or "activation_params")),
            graph.UniqueNodeName($"{conv.Name}_quant"));
        output.Replace(lowered.Output(0));
    }

    public override IReadOnlyList<Node> MatchedNodes(Match match) => match.Output.Nodes;

    public override int NodesCreated(Match match) => match.Output.ClampIsSaturation ? 1 : 2;

    /// <summary>The output clamped further by a FusedConv's Relu or Clip; unchanged for a Conv; null for other producers.</summary>
    static QuantizedOutput? ClampedByFusedActivation(QuantizedOutput output)
    {
        var conv = output.Producer;
        if (conv.IsDefaultDomain)
            return conv.OpType == "Conv" ? output : null;
        if (conv.Domain != PassContext.MicrosoftDomain || conv.OpType != "FusedConv" || conv.OptionalInput(3) is not null)
            return null;
        return conv.GetString("activation", "") switch
        {
            "Relu" => output.ClampedTo(0, float.PositiveInfinity),
            "Clip" when conv.GetFloats("activation_params") is [var low, var high] => output.ClampedTo(low, high),
            _ => null,
        };
    }
}
