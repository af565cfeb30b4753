using OnnxFuse.Ir.Editing;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Passes.Rewriting;

namespace OnnxFuse.Passes.Fusions;

/// <summary>
/// A BERT-style self-attention block  ⇒  com.microsoft.Attention(X, [Wq|Wk|Wv], [bq|bk|bv], mask_index).
/// <code>
///   Q  = X → MatMul(Wq) → Add(bq) → Reshape [B,S,N,H] → Transpose(0,2,1,3)
///   Kᵀ = X → MatMul(Wk) → Add(bk) → Reshape [B,S,N,H] → Transpose(0,2,3,1)   (or Transpose(0,2,1,3) → Transpose(0,1,3,2))
///   V  = X → MatMul(Wv) → Add(bv) → Reshape [B,S,N,H] → Transpose(0,2,1,3)
///   P  = MatMul(Q, Kᵀ) → Div(c) or Mul(c) → Add(mask) → Softmax(last axis)
///   Y  = MatMul(P, V) → Transpose(0,2,1,3) → Reshape [B,S,N·H]
/// </code>
/// The batched form of eager encoder-decoder exports (HuggingFace Whisper, BART; see <see cref="BatchedHeads"/>)
/// flattens the heads to [B·N, S, H] around both MatMuls, with Kᵀ = Transpose(0, 2, 1) of the flattened K and
/// MatMul(P, V) → Reshape [B, N, S, H] before the output Transpose; its Softmax must be unmasked. The SDPA export
/// (Q · √c and Kᵀ · √c on the 4-D heads) is the plain form with two scalars.
/// Y = softmax(scale · Q·Kᵀ + mask) · V per head. Biases are optional (zeros are written for a missing one: ORT
/// 1.30's CPU Attention crashes without its bias input). The scalar Mul/Div may sit on the scores or on the Q or K
/// path (after the bias), several of them multiplying into <c>scale</c>, which is written only when it differs from
/// Attention's default 1/√H. N and H come from the Reshape shape constants, or from inferred shapes when the export
/// computes them.
/// <para>
/// Masks: none, or the 2-D padding mask m [B, S] (0 = padding, 1 = token) made into the additive bias (1 − m)·c
/// (see <see cref="AttentionMask"/>; one chain may feed every layer). It becomes <c>mask_index</c> = Cast(m → int32)
/// (one Cast shared by all layers) with <c>mask_filter_value</c> = c when c ≠ −10000 (the default). A padded key's
/// score is then scale·q·k + c, as in the original; a kept key's is scale·q·k. That holds for m ∈ {0, 1}, the
/// mask convention the chain exists for; other values would differ (Attention treats every m ≤ 0 as padding,
/// m &gt; 0 as kept).
/// Refused: any other additive bias (causal or [B, 1, S, S] masks, float masks given as inputs, relative position
/// biases), masks whose [B, S] cannot be shown equal to X's, cross-attention (Q, K, V read different inputs), a scale on
/// V, V heads of another size, intermediates read outside the block, non-constant weights, N·H ≠ hidden, other perms,
/// Softmax on another axis (before opset 13 its default axis 1 is another axis).
/// </para>
/// </summary>
public sealed class AttentionFusion : RewriteRule<AttentionPattern>
{
    const float DefaultMaskFilterValue = -10000f;

    public override string Name => "attention";

    public override string Summary =>
        "fuses a self-attention block (Q/K/V projections, scaled masked softmax, head merge) into com.microsoft.Attention";

    public override OptimizationLevel Level => OptimizationLevel.All;

    public override string? RootOpType => "Softmax";

    public override AttentionPattern? TryMatch(Node root, PassContext context) =>
        context.AllowsMicrosoftOps ? AttentionPattern.TryMatch(root, context.Opset) : null;

    public override void Rewrite(AttentionPattern match, PassContext context)
    {
        var graph = match.Output.Graph;
        var output = match.Output.Output(0);
        AttentionProjection[] projections = [match.Query, match.Key, match.Value];
        var weights = PassContext.AddConstant(graph, $"{output.Name}_qkv_weight", ConcatColumns(projections));
        // Always a bias, zeros where the block has none: ORT's CPU Attention (1.30) crashes when the optional bias is omitted.
        var bias = PassContext.AddConstant(graph, $"{output.Name}_qkv_bias", ConcatBiases(projections));
        List<Attr> attributes = [Attr.Int("num_heads", match.HeadCount)];
        var defaultScale = 1 / Math.Sqrt(match.HeadSize);
        if (Math.Abs(match.Scale - defaultScale) > 1e-6 * defaultScale)
            attributes.Add(Attr.Float("scale", (float)match.Scale));
        if (match.Mask is { FilterValue: not DefaultMaskFilterValue } mask)
            attributes.Add(Attr.Float("mask_filter_value", mask.FilterValue));
        List<Value> inputs = [match.Query.Input, weights, bias];
        if (match.Mask is not null)
            inputs.Add(MaskIndex(graph, match.Mask.Source));
        var attention = context.AddMicrosoftNode(graph, "Attention", inputs, [graph.UniqueValueName($"{output.Name}_attention")], attributes);
        GraphRewriter.Bypass(match.Output, attention.Output(0));
    }

    public override IReadOnlyList<Node> MatchedNodes(AttentionPattern match) => match.Nodes;

    /// <summary>[D_in, D_q + D_k + D_v]: the projection weights side by side, Q's columns first.</summary>
    static TensorData ConcatColumns(AttentionProjection[] projections)
    {
        var rows = projections[0].Weight.ConstantData!.Dims[0];
        var total = projections.Sum(p => p.Hidden);
        var result = new float[rows * total];
        var offset = 0L;
        foreach (var projection in projections)
        {
            var weight = projection.Weight.ConstantData!.AsSpan<float>();
            var width = (int)projection.Hidden;
            for (var row = 0; row < rows; row++)
                weight.Slice(row * width, width).CopyTo(result.AsSpan((int)(row * total + offset)));
            offset += width;
        }
        return TensorData.Create<float>([rows, total], result);
    }

    /// <summary>[bq | bk | bv], zeros for a projection without bias.</summary>
    static TensorData ConcatBiases(AttentionProjection[] projections)
    {
        var result = new List<float>();
        foreach (var projection in projections)
            result.AddRange(projection.Bias?.ConstantData!.ToArray<float>() ?? new float[projection.Hidden]);
        return TensorData.Create<float>([result.Count], result.ToArray());
    }

    /// <summary>The mask as int32, through one Cast that every layer reading the same mask shares.</summary>
    static Value MaskIndex(Graph graph, Value mask)
    {
        if (mask.ElementType == ElementType.Int32)
            return mask;
        var cast = mask.Consumers.FirstOrDefault(n => n.Graph == graph && n is { OpType: "Cast", IsDefaultDomain: true }
            && n.GetInt("to", 0) == (long)ElementType.Int32);
        return cast?.Output(0)
            ?? graph.AddNode("Cast", [mask], [graph.UniqueValueName($"{mask.Name}_int32")], [Attr.Int("to", (long)ElementType.Int32)]).Output(0);
    }
}
