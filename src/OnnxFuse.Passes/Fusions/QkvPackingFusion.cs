using OnnxFuse.Ir.Editing;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Passes.Matching;
using OnnxFuse.Passes.Rewriting;

namespace OnnxFuse.Passes.Fusions;

/// <summary>
/// Projections of one input packed into one product (attention's Q, K and V projections, or any n ≥ 2):
/// <code>
/// Yᵢ = X · Wᵢ (+ bᵢ),  i = 1 … n,  Wᵢ constant [K, Nᵢ]
///   ⇒  Y = X · [W₁ | … | Wₙ] (+ [b₁ | … | bₙ]);   Y₁ … Yₙ = Split(Y, [N₁ … Nₙ], axis = last)
/// </code>
/// A bias is a constant that an Add adds along the last axis (<see cref="LastAxisBias"/>) to a product read by that
/// Add alone; when only some projections have one, the others get zeros. Readers of every Yᵢ are unchanged: the Split
/// re-produces them. One wide GEMM reads X once and gives threads n times the columns to share.
/// Attention fusion consumes the separate projections, so this pass must run after it.
/// </summary>
public sealed class QkvPackingFusion : RewriteRule<QkvPackingFusion.Match>
{
    /// <summary>One projection: its MatMul, and the Add of its bias when it has one.</summary>
    public sealed record Projection(Node MatMul, Node? Add, Value? Bias);

    /// <summary>The shared input, its projections in reading order, and the last axis of their results.</summary>
    public sealed record Match(Value Input, IReadOnlyList<Projection> Projections, int Axis);

    public override string Name => "qkv";

    public override string Summary => "MatMuls of one input by constant weights (each with an optional bias) into one MatMul and a Split";

    public override OptimizationLevel Level => OptimizationLevel.All;

    public override string? RootOpType => "MatMul";

    public override Match? TryMatch(Node root, PassContext context)
    {
        var input = root.Input(0);
        if (input is not { ElementType: ElementType.Float, Shape.Rank: >= 1 } || Weight(root) is not { } weight)
            return null;
        var rank = input.Shape!.Rank;
        var projections = input.Consumers
            .Where(n => n is { OpType: "MatMul", IsDefaultDomain: true } && ReferenceEquals(n.Graph, root.Graph)
                && ReferenceEquals(n.Input(0), input) && Weight(n) is { } w && w.Dims[0] == weight.Dims[0])
            .Select(n => ProjectionOf(n, rank))
            .ToList();
        return projections.Count >= 2 ? new Match(input, projections, rank - 1) : null;
    }

    public override void Rewrite(Match match, PassContext context)
    {
        var (input, projections, axis) = match;
        var first = projections[0].MatMul;
        var graph = first.Graph;
        var weights = projections.Select(p => Weight(p.MatMul)!).ToList();
        long[] sizes = [.. weights.Select(w => w.Dims[1])];
        var width = sizes.Sum();
        var packedWeight = PassContext.AddConstant(graph, "qkv_weight", TensorData.Create<float>([weights[0].Dims[0], width], ConcatColumns(weights)));
        var packed = graph.AddNode("MatMul", [input, packedWeight], [graph.UniqueValueName("qkv_matmul")], before: first).Output(0);
        if (projections.Any(p => p.Bias is not null))
        {
            float[] bias = [.. projections.SelectMany((p, i) => Constants.Floats(p.Bias) ?? new float[sizes[i]])];
            var packedBias = PassContext.AddConstant(graph, "qkv_bias", TensorData.Create<float>([width], bias));
            packed = graph.AddNode("Add", [packed, packedBias], [graph.UniqueValueName("qkv_add")], before: first).Output(0);
        }
        var outputNames = projections.Select(p => graph.UniqueValueName($"{(p.Add ?? p.MatMul).Output(0).Name}_split"));
        var split = context.Opset >= 13
            ? graph.AddNode("Split", [packed, PassContext.AddConstant(graph, "qkv_split", TensorData.Create<long>([sizes.Length], sizes))],
                outputNames, [Attr.Int("axis", axis)], before: first)
            : graph.AddNode("Split", [packed], outputNames, [Attr.Int("axis", axis), Attr.Ints("split", sizes)], before: first);
        for (var i = 0; i < projections.Count; i++)
            GraphRewriter.Bypass(projections[i].Add ?? projections[i].MatMul, split.Output(i));
    }

    public override IReadOnlyList<Node> MatchedNodes(Match match) =>
        [.. match.Projections.SelectMany(p => new[] { p.MatMul, p.Add }).OfType<Node>()];

    public override int NodesCreated(Match match) => match.Projections.Any(p => p.Add is not null) ? 3 : 2;

    static TensorData? Weight(Node matMul) => matMul.Input(1).ConstantData is { ElementType: ElementType.Float, Rank: 2 } data ? data : null;

    static Projection ProjectionOf(Node matMul, int rank)
    {
        var product = matMul.Output(0);
        return product.SoleConsumer() is { } add && LastAxisBias.Of(add, product, Weight(matMul)!.Dims[1], rank) is { } bias
            ? new Projection(matMul, add, bias)
            : new Projection(matMul, null, null);
    }

    /// <summary>[W₁ | … | Wₙ]: row-major matrices with the same row count, side by side.</summary>
    static float[] ConcatColumns(List<TensorData> matrices)
    {
        var rowCount = (int)matrices[0].Dims[0];
        var width = matrices.Sum(m => (int)m.Dims[1]);
        var result = new float[rowCount * width];
        var offset = 0;
        foreach (var matrix in matrices)
        {
            var columnCount = (int)matrix.Dims[1];
            var values = matrix.AsSpan<float>();
            for (var row = 0; row < rowCount; row++)
                values.Slice(row * columnCount, columnCount).CopyTo(result.AsSpan((row * width) + offset, columnCount));
            offset += columnCount;
        }
        return result;
    }
}
