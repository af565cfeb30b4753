using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Passes.Matching;

/// <summary>
/// A constant float32 bias that an <c>Add</c> adds along the last axis of a [..., N] tensor: shaped [N] or
/// [1, …, 1, N] and no longer than the tensor's rank, so it varies along the last axis only and the Add neither
/// broadcasts the tensor nor grows its rank. Folding passes move such a bias into a Gemm's C or a packed weight.
/// </summary>
public static class LastAxisBias
{
    /// <summary>
    /// The bias <paramref name="add"/> adds to <paramref name="input"/> (either operand order), given the input's last
    /// dimension <paramref name="columnCount"/> and rank <paramref name="inputRank"/>; null when the node is no such Add.
    /// </summary>
    public static Value? Of(Node add, Value input, long columnCount, int inputRank)
    {
        if (add is not { OpType: "Add", IsDefaultDomain: true } || add.Inputs.Count != 2)
            return null;
        var bias = ReferenceEquals(add.Input(0), input) ? add.Input(1) : ReferenceEquals(add.Input(1), input) ? add.Input(0) : null;
        if (bias?.ConstantData is not { ElementType: ElementType.Float, Rank: > 0 } data || data.Rank > inputRank)
            return null;
        return data.Dims[^1] == columnCount && data.Dims.Take(data.Rank - 1).All(d => d == 1) ? bias : null;
    }
}
