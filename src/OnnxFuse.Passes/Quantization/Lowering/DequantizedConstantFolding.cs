using OnnxFuse.Ir.Editing;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Passes.Matching;
using OnnxFuse.Passes.Rewriting;

namespace OnnxFuse.Passes.Quantization.Lowering;

/// <summary>
/// DequantizeLinear(constant q, constant s, constant zp)  ⇒  float initializer (q − zp) · s, per tensor or along axis: what is
/// left of a weight's QDQ form once the groups around it could not be lowered (a Gemm with a bias) is computed once instead of on
/// every run. The values are exactly those the DequantizeLinear would produce. Runs after the lowering rules, which read the
/// DequantizeLinear form.
/// </summary>
public sealed class DequantizedConstantFolding : RewriteRule<DequantizedConstantFolding.Match>
{
    public sealed record Match(Node Dequantize, DequantizedOperand Operand, TensorData Quantized);

    public override string Name => "qdq-constant";

    public override string Summary => "folds DequantizeLinear of constant int8/uint8/int32 tensors into float initializers";

    public override OptimizationLevel Level => OptimizationLevel.Basic;

    public override string? RootOpType => "DequantizeLinear";

    public override Match? TryMatch(Node root, PassContext context)
    {
        if (!root.IsDefaultDomain || root.Output(0).IsAnyGraphOutput() ||
            DequantizedOperand.TryRead(root.Output(0), ElementType.UInt8, ElementType.Int8, ElementType.Int32) is not { } operand ||
            operand.Quantized.ConstantData is not { } quantized)
            return null;
        if (!operand.IsPerTensor && (operand.Axis >= quantized.Rank || quantized.Dims[operand.Axis] != operand.Scales.Length))
            return null;
        return new Match(root, operand, quantized);
    }

    public override void Rewrite(Match match, PassContext context)
    {
        var (dequantize, operand, quantized) = match;
        var values = ToInts(quantized);
        var zeros = operand.ZeroPoint?.ConstantData is { } zeroData ? ToInts(zeroData) : [0];
        var inner = operand.IsPerTensor ? values.Length : (int)quantized.Dims.Skip(operand.Axis + 1).Aggregate(1L, (a, b) => a * b);
        var floats = new float[values.Length];
        for (var i = 0; i < floats.Length; i++)
        {
            var channel = operand.IsPerTensor ? 0 : i / Math.Max(inner, 1) % operand.Scales.Length;
            floats[i] = ((float)values[i] - zeros[zeros.Length == 1 ? 0 : channel]) * operand.Scales[channel];
        }
        var graph = dequantize.Graph;
        var folded = PassContext.AddConstant(graph, $"{operand.Quantized.Name}_float", TensorData.Create<float>(quantized.Dims.ToArray(), floats));
        GraphRewriter.Bypass(dequantize, folded);
    }

    public override IReadOnlyList<Node> MatchedNodes(Match match) => [match.Dequantize];

    public override int NodesCreated(Match match) => 0;

    static int[] ToInts(TensorData data) => data.ElementType switch
    {
        ElementType.Int8 => [.. data.AsSpan<sbyte>().ToArray().Select(v => (int)v)],
        ElementType.UInt8 => [.. data.AsSpan<byte>().ToArray().Select(v => (int)v)],
        _ => data.AsSpan<int>().ToArray(),
    };
}
