using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Passes.Matching;

namespace OnnxFuse.Passes.Fusions;

/// <summary>
/// BERT's padding mask turned into an additive score bias, as PyTorch exports it:
/// <code>
///   m [B, S] (1 = token, 0 = padding) → Unsqueeze(1) → Unsqueeze(2) → Cast(float) → Sub(1, ·) → Mul(·, c)  =  (1 − m)·c  [B, 1, 1, S]
/// </code>
/// The Unsqueezes (one per axis or one for both, axes as attribute or input) and the one optional Cast to float may
/// sit anywhere in the chain; Sub(1, ·) must come before Mul, whose constant c may be either operand. For m ∈ {0, 1}
/// the bias is c on padded keys and 0 elsewhere: exactly what Attention adds for a raw 2-D <c>mask_index</c>
/// (0 ⇒ <c>mask_filter_value</c>, positive ⇒ 0) when <c>mask_filter_value</c> = c. <see cref="Source"/> is m.
/// </summary>
public sealed record AttentionMask(Value Source, float FilterValue)
{
    /// <summary>The mask chain that produces <paramref name="additive"/>, or null when it is any other bias.</summary>
    public static AttentionMask? TryMatch(Value additive)
    {
        var unsqueezes = new List<Node>();
        float? filter = null;
        bool subtracted = false, cast = false;
        var value = additive;
        while (value.Producer is { IsDefaultDomain: true } node)
        {
            if (node.OpType == "Mul" && filter is null && SmallScalar(node.Input(1)) is { } c)
                (filter, value) = (c, node.Input(0));
            else if (node.OpType == "Mul" && filter is null && SmallScalar(node.Input(0)) is { } c0)
                (filter, value) = (c0, node.Input(1));
            else if (node.OpType == "Sub" && filter is not null && !subtracted && SmallScalar(node.Input(0)) == 1f)
                (subtracted, value) = (true, node.Input(1));
            else if (node.OpType == "Cast" && !cast && node.GetInt("to", 0) == (long)ElementType.Float)
                (cast, value) = (true, node.Input(0));
            else if (node.OpType == "Unsqueeze")
            {
                unsqueezes.Add(node);
                value = node.Input(0);
            }
            else
            {
                break;
            }
        }
        // (1 − m)·c with c = ±∞ turns the kept positions into 0·∞ = NaN: not a mask Attention can reproduce.
        if (filter is not { } filterValue || !float.IsFinite(filterValue) || !subtracted)
            return null;
        return value.Shape is { Rank: 2 } && BroadcastsOverHeadsAndQueries(unsqueezes) ? new AttentionMask(value, filterValue) : null;
    }

    /// <summary>A one-element constant of rank ≤ 2, which cannot raise the rank of the ≥ 2-D mask it meets.</summary>
    static float? SmallScalar(Value value) =>
        value.ConstantData is { Dims.Count: <= 2 } ? Constants.Scalar(value) : null;

    /// <summary>Whether the Unsqueezes, applied from the source on, turn [B, S] into [B, 1, 1, S].</summary>
    static bool BroadcastsOverHeadsAndQueries(List<Node> unsqueezesFromEnd)
    {
        List<int> layout = [0, 1];
        for (var i = unsqueezesFromEnd.Count - 1; i >= 0; i--)
        {
            var node = unsqueezesFromEnd[i];
            var axes = node.OptionalInput(1) is { } axesInput ? Constants.Ints(axesInput) : node.GetInts("axes")?.ToArray();
            if (axes is null)
                return false;
            var rank = layout.Count + axes.Length;
            foreach (var axis in axes.Select(a => a < 0 ? a + rank : a).Order())
            {
                if (axis < 0 || axis > layout.Count)
                    return false;
                layout.Insert((int)axis, -1);
            }
        }
        return layout.SequenceEqual([0, -1, -1, 1]);
    }
}
