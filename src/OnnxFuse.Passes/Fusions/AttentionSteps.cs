using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Types;
using OnnxFuse.Passes.Matching;

namespace OnnxFuse.Passes.Fusions;

/// <summary>
/// The single steps of an attention block that <see cref="AttentionFusion"/> recognizes: head split and merge
/// Reshapes, Transposes with a given perm, and scalar Mul/Div nodes whose factors fold into the softmax scale.
/// </summary>
static class AttentionSteps
{
    /// <summary>
    /// Walks up through Mul(·, c), Mul(c, ·) and Div(·, c) nodes with one-element constants c of rank ≤ 1, adding
    /// them to <paramref name="nodes"/> and multiplying c (or 1/c) into <paramref name="scale"/>; returns the value above them.
    /// Scalars commute with Reshape, Transpose and MatMul, so wherever they sit on the Q or K path they scale the scores.
    /// </summary>
    public static Value SkipScalars(Value value, ref double scale, List<Node> nodes)
    {
        while (value.Producer is { IsDefaultDomain: true, OpType: "Mul" or "Div" } node)
        {
            if (Factor(node.Input(1)) is { } right)
            {
                scale *= node.OpType == "Mul" ? right : 1 / right;
                value = node.Input(0);
            }
            else if (node.OpType == "Mul" && Factor(node.Input(0)) is { } left)
            {
                scale *= left;
                value = node.Input(1);
            }
            else
            {
                break;
            }
            nodes.Add(node);
        }
        return value;
    }

    static double? Factor(Value value) =>
        value.ConstantData is { Dims.Count: <= 1 } && Constants.Scalar(value) is { } c && float.IsFinite(c) && c != 0 ? c : null;

    /// <summary>The Transpose producing <paramref name="value"/> when its perm is <paramref name="perm"/>, else null.</summary>
    public static Node? Transpose(Value value, params long[] perm) =>
        value.ProducedBy("Transpose") is { } node && node.GetInts("perm") is { } actual && actual.SequenceEqual(perm) ? node : null;

    /// <summary>
    /// Heads and head size of a Reshape [B, S, N·H] → [B, S, N, H] with N·H = <paramref name="hidden"/>, read from its
    /// shape constant or, when that is computed, from the inferred output shape; null when it reshapes anything else.
    /// </summary>
    public static (long Count, long Size)? SplitsHeads(Node reshape, long hidden)
    {
        var shape = Constants.Ints(reshape.Input(1));
        (long Count, long Size) heads;
        if (shape is { Length: 4 } && shape[2] > 0 && shape[3] > 0)
            heads = (shape[2], shape[3]);
        else if (reshape.Output(0).Shape is { Rank: 4 } output && output[2].Value is { } count && output[3].Value is { } size)
            heads = (count, size);
        else
            return null;
        return heads.Count * heads.Size == hidden && KeepsBatchAndSequence(reshape, shape, 3, [heads.Count, heads.Size]) ? heads : null;
    }

    /// <summary>Whether the Reshape turns [B, S, N, H] into [B, S, <paramref name="hidden"/>] (N·H = hidden is the caller's to check).</summary>
    public static bool MergesHeads(Node reshape, long hidden) =>
        KeepsBatchAndSequence(reshape, Constants.Ints(reshape.Input(1)), 4, [hidden]);

    /// <summary>
    /// Whether a Reshape whose input is [d0, d1, rest…] of rank <paramref name="inputRank"/>, with
    /// ∏rest = ∏<paramref name="trailing"/> (the caller's to check), outputs [d0, d1, trailing…]. With the trailing
    /// size fixed, one leading dim kept forces the other (the element count is unchanged), so a constant shape passes
    /// when both leading entries are kept (0 or the known dim) and the trailing entries are the target or −1, or when
    /// one is kept and the trailing entries are the target exactly. A computed shape is judged by the inferred output.
    /// </summary>
    static bool KeepsBatchAndSequence(Node reshape, long[]? shape, int inputRank, long[] trailing)
    {
        var input = reshape.Input(0).Shape;
        if (input is null || input.Rank != inputRank)
            return false;
        if (shape is null)
        {
            return reshape.Output(0).Shape is { } output && output.Rank == 2 + trailing.Length
                && output.Skip(2).Select(d => d.Value).SequenceEqual(trailing.Select(t => (long?)t))
                && (SameDim(output[0], input[0]) || SameDim(output[1], input[1]));
        }
        if (shape.Length != 2 + trailing.Length)
            return false;
        var allowZero = reshape.GetInt("allowzero", 0) != 0;
        bool Kept(int i) => shape[i] == 0 ? !allowZero : input[i].Value == shape[i];
        var rest = shape.AsSpan(2);
        if (rest.SequenceEqual(trailing))
            return Kept(0) || Kept(1);
        for (var i = 0; i < trailing.Length; i++)
            if (rest[i] != trailing[i] && rest[i] != -1)
                return false;
        return Kept(0) && Kept(1);
    }

    /// <summary>
    /// Whether <paramref name="reshape"/> certainly outputs <paramref name="expected"/> (<see cref="Dim.Unknown"/> where the
    /// caller cannot name a size), given that ∏<paramref name="expected"/> is its input's element count (the caller's to
    /// ensure): all dims but one proven equal and nonzero fix the last. Output dims come from the shape constant (0 copies
    /// the input dim, −1 is open) and, where that leaves a dim open or the shape is computed, from the inferred output.
    /// </summary>
    public static bool Reshapes(Node reshape, IReadOnlyList<Dim> expected)
    {
        var output = TargetDims(reshape);
        if (output is null || output.Length != expected.Count)
            return false;
        var proven = output.Zip(expected).Count(pair => pair.Second.Value != 0 && SameDim(pair.First, pair.Second));
        return proven >= expected.Count - 1;
    }

    static Dim[]? TargetDims(Node reshape)
    {
        var inferred = reshape.Output(0).Shape;
        if (Constants.Ints(reshape.Input(1)) is not { } shape)
            return inferred?.ToArray();
        var input = reshape.Input(0).Shape;
        var allowZero = reshape.GetInt("allowzero", 0) != 0;
        var dims = new Dim[shape.Length];
        for (var i = 0; i < shape.Length; i++)
        {
            dims[i] = shape[i] switch
            {
                0 when !allowZero => input is not null && i < input.Rank ? input[i] : Dim.Unknown,
                -1 => Dim.Unknown,
                var size => Dim.Of(size),
            };
            if (dims[i] is { IsKnown: false, IsSymbolic: false } && inferred?.Rank == shape.Length)
                dims[i] = inferred[i];
        }
        return dims;
    }

    /// <summary>Whether two dims are certainly equal: the same known size, or the same symbol.</summary>
    public static bool SameDim(Dim a, Dim b) => a.Value is { } size ? b.Value == size : a.IsSymbolic && a.Param == b.Param;
}
