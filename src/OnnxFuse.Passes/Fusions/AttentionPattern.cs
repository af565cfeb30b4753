using OnnxFuse.Ir.Graphs;
using OnnxFuse.Passes.Matching;

namespace OnnxFuse.Passes.Fusions;

/// <summary>
/// A self-attention block matched from its Softmax (the pattern is drawn in <see cref="AttentionFusion"/>): the
/// Q, K and V projections of one input, the softmax scale (the product of every scalar on the score path), the
/// padding mask if any, and the nodes the fused op replaces, <see cref="Output"/> (the head-merging Reshape) last.
/// </summary>
public sealed record AttentionPattern(AttentionProjection Query, AttentionProjection Key, AttentionProjection Value,
    double Scale, AttentionMask? Mask, Node Output, IReadOnlyList<Node> Nodes)
{
    public long HeadCount => Query.HeadCount;

    public long HeadSize => Query.HeadSize;

    /// <summary>The block around <paramref name="softmax"/>, or null when anything does not line up.</summary>
    public static AttentionPattern? TryMatch(Node softmax, long opset)
    {
        var nodes = new List<Node> { softmax };
        var scale = 1.0;
        if (SplitMask(softmax.Input(0), nodes) is not ({ } scores, var mask)
            || AttentionSteps.SkipScalars(scores, ref scale, nodes).ProducedBy("MatMul") is not { } scoreMatMul)
            return null;
        // 3-D scores: the heads multiplied as one batch of B·N (see BatchedHeads), which carries no mask here.
        var batched = scoreMatMul.Output(0).Shape?.Rank == 3;
        if (!OverLastAxis(softmax, batched ? 3 : 4, opset) || (batched && mask is not null))
            return null;
        nodes.Add(scoreMatMul);
        if (Heads(scoreMatMul.Input(0), batched, ref scale, nodes) is not { } query || KeyHeads(scoreMatMul.Input(1), batched, ref scale, nodes) is not { } key
            || ValueAndOutput(softmax, batched, nodes) is not ({ } value, { } output))
            return null;
        if (!LinesUp(query, key, value, output, mask) || !double.IsFinite(scale))
            return null;
        var covered = nodes.ToHashSet();
        if (nodes.Any(n => n != output && n.Outputs.Any(o => o is not null && !o.IsOnlyReadBy(covered))))
            return null;
        return new AttentionPattern(query, key, value, scale, mask, output, nodes);
    }

    /// <summary>Whether the Softmax normalizes the last axis of its rank-<paramref name="rank"/> scores.</summary>
    static bool OverLastAxis(Node softmax, int rank, long opset) =>
        // Before opset 13 Softmax flattens to 2-D at its axis (default 1); the last axis is the last axis either way.
        softmax.GetInt("axis", opset < 13 ? 1 : -1) is var axis && (axis == -1 || axis == rank - 1);

    /// <summary>
    /// Softmax → MatMul(·, V heads) [→ Reshape, batched] → Transpose(0, 2, 1, 3) → Reshape: the V projection (no
    /// scalars on it) and the head-merging Reshape.
    /// </summary>
    static (AttentionProjection Value, Node Output)? ValueAndOutput(Node softmax, bool batched, List<Node> nodes)
    {
        if (softmax.Output(0).SoleConsumer() is not { OpType: "MatMul", IsDefaultDomain: true } weighted || weighted.Input(0) != softmax.Output(0)
            || BatchedHeads.Unflattened(weighted.Input(1), batched, nodes) is not { } heads
            || AttentionSteps.Transpose(heads, 0, 2, 1, 3) is not { } valueHeads)
            return null;
        var valueScale = 1.0;
        if (AttentionProjection.TryMatch(valueHeads.Input(0), ref valueScale, nodes) is not { } value || valueScale != 1)
            return null;
        if (BatchedHeads.Regrouped(weighted.Output(0), heads, batched, nodes) is not { } regrouped
            || regrouped.SoleConsumer() is not { } merge || AttentionSteps.Transpose(merge.Output(0), 0, 2, 1, 3) is null
            || merge.Output(0).SoleConsumer() is not { OpType: "Reshape", IsDefaultDomain: true } output)
            return null;
        nodes.AddRange([weighted, valueHeads, merge, output]);
        return (value, output);
    }

    /// <summary>One input X for Q, K and V, the same heads everywhere, a Reshape back to [B, S, N·H], a mask of X's [B, S].</summary>
    static bool LinesUp(AttentionProjection query, AttentionProjection key, AttentionProjection value, Node output, AttentionMask? mask)
    {
        var heads = (query.HeadCount, query.HeadSize);
        if (!ReferenceEquals(query.Input, key.Input) || !ReferenceEquals(query.Input, value.Input)
            || (key.HeadCount, key.HeadSize) != heads || (value.HeadCount, value.HeadSize) != heads
            || !AttentionSteps.MergesHeads(output, query.Hidden))
            return false;
        return mask is null || (mask.Source.Shape is [var batch, var sequence] && query.Input.Shape is [var inputBatch, var inputSequence, _]
            && AttentionSteps.SameDim(batch, inputBatch) && AttentionSteps.SameDim(sequence, inputSequence));
    }

    /// <summary>Scores and mask of Add(scores, mask) in either order; the input itself when no Add; null for any other Add.</summary>
    static (Value Scores, AttentionMask? Mask)? SplitMask(Value logits, List<Node> nodes)
    {
        if (logits.ProducedBy("Add") is not { } add)
            return (logits, null);
        for (var i = 0; i < 2; i++)
        {
            if (AttentionMask.TryMatch(add.Input(i)) is { } mask)
            {
                nodes.Add(add);
                return (add.Input(1 - i), mask);
            }
        }
        return null;
    }

    /// <summary>
    /// Heads [B, N, S, H] (batched: flattened to [B·N, S, H]): projection → Transpose(0, 2, 1, 3) [→ Reshape], scalars
    /// allowed around each step.
    /// </summary>
    static AttentionProjection? Heads(Value heads, bool batched, ref double scale, List<Node> nodes)
    {
        if (BatchedHeads.Unflattened(AttentionSteps.SkipScalars(heads, ref scale, nodes), batched, nodes) is not { } unflattened
            || AttentionSteps.Transpose(AttentionSteps.SkipScalars(unflattened, ref scale, nodes), 0, 2, 1, 3) is not { } transpose)
            return null;
        nodes.Add(transpose);
        return AttentionProjection.TryMatch(transpose.Input(0), ref scale, nodes);
    }

    /// <summary>
    /// Kᵀ heads [B, N, H, S]: projection → Transpose(0, 2, 3, 1), or Transpose(0, 2, 1, 3) → Transpose(0, 1, 3, 2);
    /// batched, [B·N, H, S]: flattened heads → Transpose(0, 2, 1).
    /// </summary>
    static AttentionProjection? KeyHeads(Value headsTransposed, bool batched, ref double scale, List<Node> nodes)
    {
        var value = AttentionSteps.SkipScalars(headsTransposed, ref scale, nodes);
        if (batched)
        {
            if (AttentionSteps.Transpose(value, 0, 2, 1) is not { } flatSwap)
                return null;
            nodes.Add(flatSwap);
            return Heads(flatSwap.Input(0), batched, ref scale, nodes);
        }
        if (AttentionSteps.Transpose(value, 0, 2, 3, 1) is { } direct)
        {
            nodes.Add(direct);
            return AttentionProjection.TryMatch(direct.Input(0), ref scale, nodes);
        }
        if (AttentionSteps.Transpose(value, 0, 1, 3, 2) is not { } swap)
            return null;
        nodes.Add(swap);
        return Heads(swap.Input(0), batched, ref scale, nodes);
    }
}
