using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Inference;
using OnnxFuse.Passes.Matching;

namespace OnnxFuse.Passes.Fusions;

/// <summary>
/// The batched-heads form of eager exports that multiply heads with <c>torch.bmm</c> (HuggingFace Whisper, BART,
/// Marian): the 4-D heads are flattened to one batch of B·N around the two MatMuls and split again after them.
/// <code>
///   heads [B, N, S, H] → Reshape [B·N, S, H]            (Q, K and V; Kᵀ is then Transpose(0, 2, 1))
///   MatMul(P, V) [B·N, S, H] → Reshape [B, N, S, H]
/// </code>
/// A Reshape is accepted only when the shapes prove that it merges (or splits) exactly the batch and head axes: a
/// Reshape to [B, N·S, H], say, would attend across heads.
/// </summary>
static class BatchedHeads
{
    /// <summary>
    /// The 4-D heads [B, N, S, H] behind <paramref name="heads"/>: the value itself when not <paramref name="batched"/>,
    /// else the input of the Reshape that flattens it to [B·N, S, H] (added to <paramref name="nodes"/>); null when there is none.
    /// </summary>
    public static Value? Unflattened(Value heads, bool batched, List<Node> nodes)
    {
        if (!batched)
            return heads;
        if (heads.ProducedBy("Reshape") is not { } reshape || reshape.Input(0).Shape is not [var batch, var count, var sequence, var size])
            return null;
        // B·N as a size or as the symbolic product shape inference writes for a computed bsz·N (batch*4); when neither,
        // S and H, proven, force it.
        var merged = DimMath.Multiply(batch, count);
        if (!AttentionSteps.Reshapes(reshape, [merged, sequence, size]))
            return null;
        nodes.Add(reshape);
        return reshape.Input(0);
    }

    /// <summary>
    /// The weighted values as 4-D heads: <paramref name="weighted"/> itself when not <paramref name="batched"/>, else
    /// the output of its sole reader when that is a Reshape of [B·N, S, H] back to <paramref name="valueHeads"/>' shape
    /// [B, N, S, H] (added to <paramref name="nodes"/>); null when there is none.
    /// </summary>
    public static Value? Regrouped(Value weighted, Value valueHeads, bool batched, List<Node> nodes)
    {
        if (!batched)
            return weighted;
        if (weighted.SoleConsumer() is not { OpType: "Reshape", IsDefaultDomain: true } reshape || reshape.Input(0) != weighted
            || valueHeads.Shape is not { Rank: 4 } shape || !AttentionSteps.Reshapes(reshape, [.. shape]))
            return null;
        nodes.Add(reshape);
        return reshape.Output(0);
    }
}
