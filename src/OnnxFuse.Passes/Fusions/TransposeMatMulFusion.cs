using OnnxFuse.Ir.Graphs;
using OnnxFuse.Passes.Matching;
using OnnxFuse.Passes.Rewriting;

namespace OnnxFuse.Passes.Fusions;

/// <summary>
/// A Transpose that swaps the last two axes folds into the product that reads it, as com.microsoft FusedMatMul's
/// transA or transB:
/// <code>
/// MatMul(Transpose(X, perm = [0, …, r−3, r−1, r−2]), B)  ⇒  FusedMatMul(X, B, transA = 1)
/// MatMul(A, Transpose(Y, perm = [0, …, r−3, r−1, r−2]))  ⇒  FusedMatMul(A, Y, transB = 1)
/// </code>
/// Leading axes must stay in place (FusedMatMul's transBatchA/B are not used). A FusedMatMul root toggles its
/// transA/transB and keeps its alpha, so this pass and <see cref="MatMulScaleFusion"/> end in one node either way.
/// The Transpose's output must be read by the product alone.
/// </summary>
public sealed class TransposeMatMulFusion : RewriteRule<TransposeMatMulFusion.Match>
{
    public sealed record Match(Node Product, MatMulForm Form, Node? TransposeA, Node? TransposeB);

    public override string Name => "transpose-matmul";

    public override string Summary => "Transpose of the last two axes before a MatMul into com.microsoft FusedMatMul's transA/transB";

    public override OptimizationLevel Level => OptimizationLevel.Extended;

    public override string? RootOpType => null;

    public override Match? TryMatch(Node root, PassContext context)
    {
        if (!context.AllowsMicrosoftOps || MatMulForm.Of(root) is not { } form)
            return null;
        var transposeA = LastTwoAxesSwap(root.Input(0), root);
        var transposeB = LastTwoAxesSwap(root.Input(1), root);
        if (transposeA is null && transposeB is null)
            return null;
        return new Match(root, form with { TransA = form.TransA ^ transposeA is not null, TransB = form.TransB ^ transposeB is not null },
            transposeA, transposeB);
    }

    public override void Rewrite(Match match, PassContext context)
    {
        var (product, form, transposeA, transposeB) = match;
        form.Emit(context, transposeA?.Input(0) ?? product.Input(0), transposeB?.Input(0) ?? product.Input(1), product);
    }

    public override IReadOnlyList<Node> MatchedNodes(Match match) =>
        [.. new[] { match.Product, match.TransposeA, match.TransposeB }.OfType<Node>().Distinct()];

    /// <summary>The Transpose producing <paramref name="input"/> when it swaps only the last two axes and <paramref name="product"/> alone reads it.</summary>
    static Node? LastTwoAxesSwap(Value input, Node product)
    {
        if (input.ProducedBy("Transpose") is not { } transpose || !input.IsOnlyReadBy(product))
            return null;
        // Without perm, Transpose reverses the axes, which swaps the last two only for a matrix.
        var perm = transpose.GetInts("perm") ?? (transpose.Input(0).Shape?.Rank == 2 ? [1, 0] : null);
        if (perm is not { Count: >= 2 })
            return null;
        var rank = perm.Count;
        return perm[rank - 2] == rank - 1 && perm[rank - 1] == rank - 2 && perm.Take(rank - 2).Select((axis, i) => axis == i).All(x => x)
            ? transpose
            : null;
    }
}
