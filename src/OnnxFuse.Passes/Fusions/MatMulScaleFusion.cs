using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Passes.Matching;
using OnnxFuse.Passes.Rewriting;

namespace OnnxFuse.Passes.Fusions;

/// <summary>
/// Scalar scales around a product fold into com.microsoft FusedMatMul's alpha:
/// <code>
/// Mul(MatMul(A, B), s)  |  Div(MatMul(A, B), s)                       ⇒  FusedMatMul(A, B, alpha = s | 1/s)
/// MatMul(Mul(A, s), B)  |  MatMul(Div(A, s), B)   (either input)       ⇒  FusedMatMul(A, B, alpha = s | 1/s)
/// </code>
/// Scales on several sides multiply into one alpha; a FusedMatMul root keeps its transposes and multiplies its alpha.
/// s is a one-element float constant, not 0, of rank no greater than the tensor it scales (so it broadcasts nothing).
/// A scaled input must be read by the product alone, and a scaled output by its scale alone.
/// </summary>
public sealed class MatMulScaleFusion : RewriteRule<MatMulScaleFusion.Match>
{
    /// <summary>Inputs are the product's A and B once their scales are taken off; Form carries the combined alpha.</summary>
    public sealed record Match(Node Product, MatMulForm Form, Value[] Inputs, Node?[] InputScales, Node? OutputScale);

    public override string Name => "matmul-scale";

    public override string Summary => "scalar Mul or Div on a MatMul's input or output into com.microsoft FusedMatMul's alpha";

    public override OptimizationLevel Level => OptimizationLevel.Extended;

    public override string? RootOpType => null;

    public override Match? TryMatch(Node root, PassContext context)
    {
        if (!context.AllowsMicrosoftOps || MatMulForm.Of(root) is not { } form)
            return null;
        var alpha = (double)form.Alpha;
        var inputs = new Value[2];
        var inputScales = new Node?[2];
        for (var i = 0; i < 2; i++)
        {
            inputs[i] = root.Input(i);
            if (root.Input(i).IsOnlyReadBy(root) && ScaleOf(root.Input(i).Producer) is ({ } scaled, var factor))
            {
                (inputs[i], inputScales[i]) = (scaled, root.Input(i).Producer);
                alpha *= factor;
            }
        }
        var outputScale = root.Output(0).SoleConsumer();
        if (ScaleOf(outputScale) is ({ } scaledOutput, var outputFactor) && ReferenceEquals(scaledOutput, root.Output(0)))
            alpha *= outputFactor;
        else
            outputScale = null;
        if (outputScale is null && inputScales.All(s => s is null))
            return null;
        return new Match(root, form with { Alpha = (float)alpha }, inputs, inputScales, outputScale);
    }

    public override void Rewrite(Match match, PassContext context) =>
        match.Form.Emit(context, match.Inputs[0], match.Inputs[1], match.OutputScale ?? match.Product);

    public override IReadOnlyList<Node> MatchedNodes(Match match) =>
        [.. new[] { match.Product, match.OutputScale }.Concat(match.InputScales).OfType<Node>().Distinct()];

    /// <summary>(x, s) for Mul(x, s) or Mul(s, x), (x, 1/s) for Div(x, s), where s is a scalar constant as above; else null.</summary>
    static (Value Scaled, double Factor)? ScaleOf(Node? node)
    {
        if (node is not { IsDefaultDomain: true, OpType: "Mul" or "Div" } || node.Inputs.Count != 2)
            return null;
        var (x, s) = (node.Input(0), node.Input(1));
        if (node.OpType == "Mul" && Scalar(s, x) is null)
            (x, s) = (s, x);
        if (Scalar(s, x) is not { } factor)
            return null;
        return (x, node.OpType == "Mul" ? factor : 1 / factor);
    }

    /// <summary>The value of a nonzero one-element float constant <paramref name="s"/> that broadcasts nothing onto <paramref name="x"/>.</summary>
    static double? Scalar(Value s, Value x) =>
        s.ConstantData is { ElementType: ElementType.Float, ElementCount: 1 } data && x.Shape is { } shape && data.Rank <= shape.Rank
            && data.AsSpan<float>()[0] is var value && value != 0f
            ? value
            : null;
}
