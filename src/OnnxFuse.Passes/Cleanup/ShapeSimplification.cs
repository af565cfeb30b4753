using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;
using OnnxFuse.Passes.Matching;
using OnnxFuse.Passes.Rewriting;

namespace OnnxFuse.Passes.Cleanup;

/// <summary>
/// Shapes that shape inference knows become constants (int64 initializers):
/// <code>
/// Shape(x) [start, end)       ⇒  the dims in [start, end) (Shape-15's slice), when each is a fixed number
/// Size(x)                     ⇒  the product of x's dims, when each is a fixed number
/// Gather(Shape(x), indices)   ⇒  the dims the constant indices pick, when those are fixed numbers
/// </code>
/// The Gather form lets exporters' Shape → Gather → Unsqueeze → Concat → Reshape chains fold through
/// constant-folding even when another dim (the batch) is symbolic. A symbolic or unknown dim never folds, so the
/// model keeps working for every size such a dim may take.
/// </summary>
public sealed class ShapeSimplification : RewriteRule<ShapeSimplification.Match>
{
    /// <summary>The Shape, Size or Gather node and the value it always produces.</summary>
    public sealed record Match(Node Node, TensorData Value);

    public override string Name => "shape-simplification";

    public override string Summary => "replaces Shape, Size and Gather(Shape) of statically known dims by constants";

    public override OptimizationLevel Level => OptimizationLevel.Basic;

    public override string? RootOpType => null;

    public override Match? TryMatch(Node root, PassContext context)
    {
        if (!root.IsDefaultDomain || root.OptionalInput(0) is null || root.OptionalOutput(0) is null)
            return null;
        var value = root.OpType switch
        {
            "Shape" => ShapeOf(root) is { } dims && Known(dims) is { } known ? TensorData.Create<long>([known.Length], known) : null,
            "Size" => root.Input(0).Shape?.ElementCount is { } count ? TensorData.Scalar(count) : null,
            "Gather" => GatheredDims(root),
            _ => null,
        };
        return value is null ? null : new Match(root, value);
    }

    public override void Rewrite(Match match, PassContext context) => NodeToInitializers.Replace(match.Node, [match.Value]);

    public override IReadOnlyList<Node> MatchedNodes(Match match) => [match.Node];

    public override int NodesCreated(Match match) => 0;

    /// <summary>The dims a Shape node returns, as inference knows them (fixed, symbolic or unknown); null for an unknown rank.</summary>
    static Dim[]? ShapeOf(Node shape)
    {
        if (shape.Input(0).Shape is not { } inputShape)
            return null;
        var rank = inputShape.Rank;
        var start = ClampAxis(shape.GetInt("start", 0), rank);
        var end = ClampAxis(shape.GetInt("end", rank), rank);
        return [.. inputShape.Skip(start).Take(Math.Max(end - start, 0))];
    }

    /// <summary>Gather(Shape(x), constant indices) on axis 0: the picked dims, shaped like the indices, when all are fixed.</summary>
    static TensorData? GatheredDims(Node gather)
    {
        if (gather.Input(0).ProducedBy("Shape") is not { } shape || ShapeOf(shape) is not { } dims || gather.GetInt("axis", 0) is not (0 or -1))
            return null;
        if (Constants.Ints(gather.OptionalInput(1)) is not { } indices)
            return null;
        var picked = new Dim[indices.Length];
        for (var i = 0; i < indices.Length; i++)
        {
            var index = indices[i] < 0 ? indices[i] + dims.Length : indices[i];
            if (index < 0 || index >= dims.Length)
                return null;
            picked[i] = dims[index];
        }
        return Known(picked) is { } values ? TensorData.Create<long>([.. gather.Input(1).ConstantData!.Dims], values) : null;
    }

    static long[]? Known(Dim[] dims) => dims.All(d => d.IsKnown) ? [.. dims.Select(d => d.Value!.Value)] : null;

    static int ClampAxis(long axis, int rank) => (int)Math.Clamp(axis < 0 ? axis + rank : axis, 0, rank);
}
