using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Passes.Matching;
using OnnxFuse.Passes.Rewriting;

namespace OnnxFuse.Passes.Cleanup;

/// <summary>
/// y = op(c₁, …, cₙ) with every cᵢ constant (an initializer that is not a graph input, or a Constant node)
/// ⇒  y := the initializer holding op's result, computed once by <see cref="PassContext.Evaluator"/>.
/// Only pure default-domain ops fold (<see cref="NodeTraits.IsPure"/>: no random ops, no subgraphs); Constant
/// nodes stay, and DequantizeLinear stays too, since quantized kernels and QDQ fusions need the integer weight
/// and its scale (ONNX Runtime's constant folding keeps it for the same reason). Without an evaluator nothing matches.
/// <para>
/// Size rule: folding must not blow up the model. The results may take at most twice the bytes of the constant
/// inputs the fold leaves unread (a Transpose or float16 → float32 Cast of a weight read only there folds), and
/// results of at most <see cref="SmallResultBytes"/> always fold (shape arithmetic, masks). So an Expand, Tile or
/// ConstantOfShape that turns a few numbers into a large tensor is left for the runtime to compute.
/// </para>
/// </summary>
public sealed class ConstantFolding : RewriteRule<ConstantFolding.Match>
{
    /// <summary>The node and its outputs' values (one per output; null for omitted outputs).</summary>
    public sealed record Match(Node Node, IReadOnlyList<TensorData?> Outputs);

    /// <summary>Results up to this size fold whatever their inputs.</summary>
    public const long SmallResultBytes = 64 * 1024;

    /// <summary>Otherwise the results may be at most this many times the bytes the fold frees.</summary>
    public const long MaxGrowthFactor = 2;

    public override string Name => "constant-folding";

    public override string Summary => "evaluates nodes whose inputs are all constant into initializers";

    public override OptimizationLevel Level => OptimizationLevel.Basic;

    public override string? RootOpType => null;

    public override Match? TryMatch(Node root, PassContext context)
    {
        if (context.Evaluator is not { } evaluator || !root.IsPure() || root.OpType is "Constant" or "DequantizeLinear")
            return null;
        if (root.Outputs.All(o => o is null) || root.Inputs.Any(i => i is not null && !i.IsConstant))
            return null;
        var allowedBytes = Math.Max(SmallResultBytes, MaxGrowthFactor * FreedBytes(root));
        if (InferredBytes(root) > allowedBytes)
            return null;
        var outputs = evaluator.TryEvaluate(root, [.. root.Inputs.Select(i => i?.ConstantData)], context.Opset);
        if (outputs is null || outputs.Count != root.Outputs.Count || outputs.Sum(o => o?.ByteLength ?? 0) > allowedBytes)
            return null;
        for (var i = 0; i < outputs.Count; i++)
            if (root.Outputs[i] is { } output && (outputs[i] is not { } data || !AgreesWithInference(output, data)))
                return null;
        return new Match(root, outputs);
    }

    public override void Rewrite(Match match, PassContext context) => NodeToInitializers.Replace(match.Node, match.Outputs);

    public override IReadOnlyList<Node> MatchedNodes(Match match) => [match.Node];

    public override int NodesCreated(Match match) => 0;

    /// <summary>Bytes of the constant inputs that nothing but this node reads: they go away with it.</summary>
    static long FreedBytes(Node node) =>
        node.Inputs.OfType<Value>().Distinct().Where(v => v.IsOnlyReadBy(node)).Sum(v => v.ConstantData!.ByteLength);

    /// <summary>The outputs' size from shape inference, before evaluating anything (0 for outputs of unknown size).</summary>
    static long InferredBytes(Node node) =>
        node.Outputs.OfType<Value>().Sum(o => o.ElementType is { } type && type != ElementType.String && o.Shape?.ElementCount is { } count
            ? type.ByteCount(count)
            : 0);

    /// <summary>A result whose type or static shape contradicts inference means the evaluator and inference disagree; keep the node.</summary>
    static bool AgreesWithInference(Value output, TensorData data) =>
        (output.ElementType is not { } type || type == data.ElementType)
        && (output.Shape?.TryGetStatic() is not { } dims || dims.SequenceEqual(data.Dims));
}
