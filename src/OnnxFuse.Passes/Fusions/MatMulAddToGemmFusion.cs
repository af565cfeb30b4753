using OnnxFuse.Ir.Editing;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;
using OnnxFuse.Passes.Matching;
using OnnxFuse.Passes.Rewriting;

namespace OnnxFuse.Passes.Fusions;

/// <summary>
/// <code>
/// MatMul(A[M, K], B[K, N]) → Add(bias[N])    ⇒  Gemm(A, B, bias)
/// MatMul(A[d…, K], B[K, N]) → Add(bias[N])   ⇒  Reshape(A, [−1, K]) → Gemm(·, B, bias) → Reshape(·, [d…, N])
/// </code>
/// The bias varies along the last axis only ([N] or [1, …, 1, N], either Add operand; see <see cref="LastAxisBias"/>).
/// B may be any float matrix of known size: Gemm takes a computed B as well. The leading dims d… come from A's
/// inferred shape, one unknown dim written −1; with more unknown they are Slice(Shape(A), 0, −1). A com.microsoft
/// FusedMatMul (left by <see cref="MatMulScaleFusion"/> or <see cref="TransposeMatMulFusion"/>) carries its alpha and
/// transB over, and transA when A is a matrix.
/// Basic level: every op emitted is standard ONNX (Gemm broadcasts C from opset 7). On the managed engine the Gemm
/// adds the bias in its epilogue instead of a second pass over the result, and both Reshapes are views.
/// </summary>
public sealed class MatMulAddToGemmFusion : RewriteRule<MatMulAddToGemmFusion.Match>
{
    /// <summary>Flatten when A has rank &gt; 2; ResultShape is then the result's shape if known but for one dim, else null.</summary>
    public sealed record Match(Node MatMul, MatMulForm Form, Node Add, Value Bias, bool Flatten, long[]? ResultShape);

    public override string Name => "matmul-add";

    public override string Summary => "MatMul then Add of a bias along the last axis into Gemm (with Reshapes around it for A of rank > 2)";

    public override OptimizationLevel Level => OptimizationLevel.Basic;

    public override string? RootOpType => null;

    public override Match? TryMatch(Node root, PassContext context)
    {
        if (MatMulForm.Of(root) is not { } form || root.Output(0).SoleConsumer() is not { } add || context.Opset < 7)
            return null;
        var (a, product) = (root.Input(0), root.Output(0));
        if (a.Shape is not { Rank: >= 2 } shape || MatrixSize(root.Input(1), form.TransB) is not var (depth, columnCount))
            return null;
        if (LastAxisBias.Of(add, product, columnCount, shape.Rank) is not { } bias)
            return null;
        if (shape.Rank == 2)
            return new Match(root, form, add, bias, Flatten: false, null);
        // Reshape cannot infer a −1 next to a zero-sized dim; transA of a batch is no transpose of the flattened rows.
        if (form.TransA || depth == 0 || columnCount == 0 || shape.Any(d => d.Value == 0))
            return null;
        var resultShape = KnownResultShape(shape, columnCount);
        // Slice reads its bounds from inputs from opset 10 on.
        return resultShape is null && context.Opset < 10 ? null : new Match(root, form, add, bias, Flatten: true, resultShape);
    }

    public override void Rewrite(Match match, PassContext context)
    {
        var (matMul, form, add, bias, flatten, resultShape) = match;
        var graph = add.Graph;
        var (a, b) = (matMul.Input(0), matMul.Input(1));
        var (depth, columnCount) = MatrixSize(b, form.TransB)!.Value;
        var c = bias.ConstantData!.Rank == 1
            ? bias
            : PassContext.AddConstant(graph, $"{bias.Name}_row", bias.ConstantData.WithDims([columnCount]));
        Attr[] attributes = [Attr.Float("alpha", form.Alpha), Attr.Int("transA", form.TransA ? 1 : 0), Attr.Int("transB", form.TransB ? 1 : 0)];
        if (!flatten)
        {
            GraphRewriter.ReplaceNode(add, "Gemm", [a, b, c], attributes);
            return;
        }
        var rows = InsertNode(add, "Reshape", a, Ints(graph, "gemm_input_shape", -1, depth));
        var gemm = GraphRewriter.InsertBefore(add, "Gemm", [rows, b, c], [graph.UniqueValueName($"{matMul.Name}_gemm")], attributes).Output(0);
        var shape = resultShape is null ? ResultShapeOf(add, a, columnCount) : Ints(graph, "gemm_output_shape", resultShape);
        GraphRewriter.ReplaceNode(add, "Reshape", [gemm, shape]);
    }

    public override IReadOnlyList<Node> MatchedNodes(Match match) => [match.MatMul, match.Add];

    public override int NodesCreated(Match match) => !match.Flatten ? 1 : match.ResultShape is null ? 6 : 3;

    /// <summary>(K, N) of a rank-2 B ([N, K] when transposed) whose dims are known, from its contents or its inferred shape.</summary>
    static (long Depth, long ColumnCount)? MatrixSize(Value b, bool transposed)
    {
        IReadOnlyList<long>? dims = b.ConstantData?.Dims ?? b.Shape?.TryGetStatic();
        return dims is [var rows, var columns] ? transposed ? (columns, rows) : (rows, columns) : null;
    }

    /// <summary>[d…, N] with the one unknown leading dim as −1; null when more than one is unknown.</summary>
    static long[]? KnownResultShape(Shape a, long columnCount)
    {
        long[] leading = [.. a.Take(a.Rank - 1).Select(d => d.Value ?? -1)];
        return leading.Count(d => d < 0) <= 1 ? [.. leading, columnCount] : null;
    }

    /// <summary>Concat(Slice(Shape(A), [0], [−1]), [N]): the result's shape computed at run time.</summary>
    static Value ResultShapeOf(Node anchor, Value a, long columnCount)
    {
        var graph = anchor.Graph;
        var shapeOfA = InsertNode(anchor, "Shape", a);
        var leading = InsertNode(anchor, "Slice", shapeOfA, Ints(graph, "leading_start", 0), Ints(graph, "leading_end", -1));
        var node = GraphRewriter.InsertBefore(anchor, "Concat", [leading, Ints(graph, "gemm_columns", columnCount)],
            [graph.UniqueValueName("gemm_output_shape")], [Attr.Int("axis", 0)]);
        return node.Output(0);
    }

    static Value InsertNode(Node anchor, string opType, params Value[] inputs) =>
        GraphRewriter.InsertBefore(anchor, opType, inputs, [anchor.Graph.UniqueValueName($"{anchor.Name}_{opType.ToLowerInvariant()}")]).Output(0);

    static Value Ints(Graph graph, string hint, params long[] values) =>
        PassContext.AddConstant(graph, hint, TensorData.Create<long>([values.Length], values));
}
