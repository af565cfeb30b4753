using OnnxFuse.Ir.Graphs;
using OnnxFuse.Passes.Matching;
using OnnxFuse.Passes.Rewriting;

namespace OnnxFuse.Passes.Fusions;

/// <summary>
/// <c>Gelu(x + bias)</c>  ⇒  com.microsoft BiasGelu(x, bias), with bias a float32 constant [hidden] over x's last
/// axis (the bias of the MatMul before a transformer's GELU). The Gelu is com.microsoft Gelu or the standard exact
/// one (approximate = "none"); run after <see cref="GeluFusion"/>, which makes it from the erf form.
/// </summary>
public sealed class BiasGeluFusion : RewriteRule<BiasGeluFusion.Match>
{
    public sealed record Match(Value Input, Value Bias, Node Add, Node Gelu);

    public override string Name => "bias-gelu";

    public override string Summary => "fuses the bias Add before an exact Gelu into com.microsoft BiasGelu";

    public override OptimizationLevel Level => OptimizationLevel.Extended;

    public override string? RootOpType => null;

    public override Match? TryMatch(Node root, PassContext context)
    {
        if (!context.AllowsMicrosoftOps || !IsExactGelu(root) || root.Input(0).ProducedBy("Add") is not { } add || !add.Output(0).IsOnlyReadBy(root)
            || Operands.SplitConstant(add) is not var (x, bias) || x.LastDim() is not { } hidden || !Operands.IsFloatVector(bias, hidden)
            || !Shapes.SameShape(x, add.Output(0)))
            return null;
        return new Match(x, bias, add, root);
    }

    public override void Rewrite(Match match, PassContext context) =>
        MicrosoftNodes.Replace(context, match.Gelu, "BiasGelu", [match.Input, match.Bias]);

    public override IReadOnlyList<Node> MatchedNodes(Match match) => [match.Add, match.Gelu];

    static bool IsExactGelu(Node node) =>
        node.OpType == "Gelu" && (node.Domain == PassContext.MicrosoftDomain || node.IsDefaultDomain && node.GetString("approximate", "none") == "none");
}
