using OnnxFuse.Ir.Editing;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Passes.Rewriting;

namespace OnnxFuse.Passes.Fusions;

/// <summary>
/// A float32 product Y = alpha · op(A) · op(B), where op transposes the last two axes when transA/transB: a MatMul
/// (alpha 1, no transposes) or a com.microsoft FusedMatMul that keeps the batch axes in place (transBatchA and
/// transBatchB 0). Passes that fold a scale or a transpose into a product read its form, change it, and emit it.
/// </summary>
public readonly record struct MatMulForm(float Alpha, bool TransA, bool TransB)
{
    /// <summary>The form of a float32 MatMul or FusedMatMul node; null for any other node.</summary>
    public static MatMulForm? Of(Node node)
    {
        if (node.OptionalInput(0)?.ElementType != ElementType.Float)
            return null;
        if (node is { OpType: "MatMul", IsDefaultDomain: true })
            return new MatMulForm(1f, false, false);
        if (node.OpType != "FusedMatMul" || OpsetImports.Normalize(node.Domain) != PassContext.MicrosoftDomain
            || node.GetInt("transBatchA", 0) != 0 || node.GetInt("transBatchB", 0) != 0)
            return null;
        return new MatMulForm(node.GetFloat("alpha", 1f), node.GetInt("transA", 0) != 0, node.GetInt("transB", 0) != 0);
    }

    /// <summary>Adds FusedMatMul(a, b) of this form in place of <paramref name="replaced"/>: its readers and graph-output name move over.</summary>
    public void Emit(PassContext context, Value a, Value b, Node replaced)
    {
        var graph = replaced.Graph;
        var fused = context.AddMicrosoftNode(graph, "FusedMatMul", [a, b], [graph.UniqueValueName($"{replaced.Name}_fused")],
            [Attr.Float("alpha", Alpha), Attr.Int("transA", TransA ? 1 : 0), Attr.Int("transB", TransB ? 1 : 0)], before: replaced);
        GraphRewriter.Bypass(replaced, fused.Output(0));
    }
}
