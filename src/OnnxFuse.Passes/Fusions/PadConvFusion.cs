using OnnxFuse.Ir.Graphs;
using OnnxFuse.Passes.Matching;
using OnnxFuse.Passes.Rewriting;

namespace OnnxFuse.Passes.Fusions;

/// <summary>
/// Pad (constant mode, value 0, spatial axes only, pads ≥ 0) → Conv  ⇒  Conv whose pads add the Pad's.
///   x ─ Pad([0, 0, b…, 0, 0, e…]) ─ Conv(pads [p…, q…])  ⇒  x ─ Conv(pads [p + b…, q + e…])
/// Also → AveragePool with ceil_mode 0 when the padded zeros count in its divisor either way: count_include_pad = 1,
/// or no pads of its own (then count_include_pad becomes 1); every window then lies inside the padded input. Never
/// MaxPool, whose pads read as −∞. The consumer's auto_pad must be NOTSET. Pads come from the attribute before
/// opset 11 and from a constant input (with optional axes from opset 18) after.
/// </summary>
public sealed class PadConvFusion : RewriteRule<PadConvFusion.Match>
{
    public sealed record Match(Node Pad, Node Consumer, long[] SpatialPads);

    public override string Name => "pad-conv";

    public override string Summary => "folds a zero Pad into the pads of the Conv or AveragePool after it";

    public override OptimizationLevel Level => OptimizationLevel.Basic;

    public override string? RootOpType => "Pad";

    public override Match? TryMatch(Node root, PassContext context)
    {
        if (root.Output(0).SoleConsumer() is not { IsDefaultDomain: true } consumer || root.Output(0).Uses.Any(u => u.InputIndex != 0))
            return null;
        if (consumer.GetString("auto_pad", "NOTSET") != "NOTSET" || !TakesZeroPadding(consumer))
            return null;
        if (SpatialPads(root, context.Opset) is not { } pads || Current(consumer, pads.Length / 2) is null)
            return null;
        return new Match(root, consumer, pads);
    }

    public override void Rewrite(Match match, PassContext context)
    {
        var (pad, consumer, spatialPads) = match;
        var merged = Current(consumer, spatialPads.Length / 2)!;
        for (var i = 0; i < merged.Length; i++)
            merged[i] += spatialPads[i];
        consumer.SetInput(0, pad.Input(0));
        consumer.SetAttr(Attr.Ints("pads", merged));
        if (consumer.OpType == "AveragePool")
            consumer.SetAttr(Attr.Int("count_include_pad", 1));
    }

    public override IReadOnlyList<Node> MatchedNodes(Match match) => [match.Pad, match.Consumer];

    static bool TakesZeroPadding(Node consumer) => consumer.OpType switch
    {
        "Conv" => true,
        "AveragePool" => consumer.GetInt("ceil_mode", 0) == 0
            && (consumer.GetInt("count_include_pad", 0) != 0 || (consumer.GetInts("pads") ?? []).All(p => p == 0)),
        _ => false,
    };

    /// <summary>The consumer's own pads [begin…, end…] over <paramref name="spatialRank"/> axes (zeros when absent), or null when malformed.</summary>
    static long[]? Current(Node consumer, int spatialRank) => consumer.GetInts("pads") switch
    {
        null => new long[2 * spatialRank],
        var pads when pads.Count == 2 * spatialRank => [.. pads],
        _ => null,
    };

    /// <summary>
    /// The Pad's pads over the spatial axes (axes 2…), [begin…, end…], when it pads with zeros, only there and
    /// never negatively; null otherwise.
    /// </summary>
    static long[]? SpatialPads(Node pad, long opset)
    {
        if (pad.GetString("mode", "constant") != "constant")
            return null;
        var value = opset < 11 ? pad.GetFloat("value", 0f) : pad.OptionalInput(2) is { } v ? Constants.Scalar(v) : 0f;
        var pads = opset < 11 ? pad.GetInts("pads")?.ToArray() : Constants.Ints(pad.OptionalInput(1));
        if (pads is not null && pad.OptionalInput(3) is { } axes)
            pads = AllAxes(pads, Constants.Ints(axes), pad.Input(0).Shape?.Rank);
        if (value != 0f || pads is null)
            return null;
        var rank = pads.Length / 2;
        if (rank < 3 || pads.Any(p => p < 0) || pads[0] != 0 || pads[1] != 0 || pads[rank] != 0 || pads[rank + 1] != 0)
            return null;
        return [.. pads[2..rank], .. pads[(rank + 2)..]];
    }

    /// <summary>Opset 18's pads for the listed axes, spread over all <paramref name="rank"/> axes.</summary>
    static long[]? AllAxes(long[] pads, long[]? axes, int? rank)
    {
        if (axes is null || rank is not { } r || pads.Length != 2 * axes.Length)
            return null;
        var all = new long[2 * r];
        for (var i = 0; i < axes.Length; i++)
        {
            var axis = axes[i] < 0 ? axes[i] + r : axes[i];
            if (axis < 0 || axis >= r)
                return null;
            all[axis] = pads[i];
            all[axis + r] = pads[i + axes.Length];
        }
        return all;
    }
}
