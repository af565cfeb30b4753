using OnnxFuse.Ir.Editing;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Types;
using OnnxFuse.Passes.Matching;
using OnnxFuse.Passes.Rewriting;

namespace OnnxFuse.Passes.Fusions;

/// <summary>
/// Residual Add → layer normalization  ⇒  com.microsoft SkipLayerNormalization(input, skip, γ, β[, bias]; ε).
/// <code>
/// s = input + skip (+ bias);  y = LayerNorm(s) · γ + β        (s also read elsewhere: SkipLayerNormalization's output 3)
/// </code>
/// Below opset 17 only, where the normalization is the decomposed chain of <see cref="LayerNormPattern"/> (no standard
/// LayerNormalization exists there). From opset 17 the standard LayerNormalization and the Add stay: measured on
/// bert_mini_op17 (1 thread, ÷ the original) they run faster than SkipLayerNormalization on ONNX Runtime with its
/// optimizations off (0.92 vs 1.03; its CPU kernel normalizes in a scalar loop) and no slower on the managed engine
/// (0.88 vs 0.90), and ONNX Runtime's own optimizer makes the same fusion where it wants it. When one Add operand is
/// <c>t + bias</c> (a MatMul's bias, a constant [hidden] vector) read only here, the bias becomes input 4.
/// Shapes as ONNX Runtime checks them: input [batch, sequence, hidden] or [tokens, hidden]; skip of the same shape,
/// or [1, sequence, hidden] or [sequence, hidden] under a 3-D input.
/// </summary>
public sealed class SkipLayerNormFusion : RewriteRule<SkipLayerNormFusion.Match>
{
    public sealed record Match(LayerNormPattern Norm, Node Add, Value Input, Value Skip, Value? Bias, Node? BiasAdd, bool SumReadElsewhere);

    public override string Name => "skip-layernorm";

    public override string Summary => "fuses a residual Add and the decomposed layer normalization after it into com.microsoft SkipLayerNormalization (below opset 17; from 17 LayerNormalization and the Add stay)";

    public override OptimizationLevel Level => OptimizationLevel.Extended;

    public override string? RootOpType => null;

    public override Match? TryMatch(Node root, PassContext context)
    {
        if (!context.AllowsMicrosoftOps || context.Opset >= 17 || root is not { OpType: "Add" or "Mul" or "Div", IsDefaultDomain: true }
            || LayerNormPattern.FromChain(root) is not { } norm || norm.Input.ProducedBy("Add") is not { Inputs.Count: 2 } add
            || !ReferenceEquals(add.Graph, root.Graph))
            return null;
        var sum = add.Output(0);
        var (first, second) = (add.Input(0), add.Input(1));
        var projection = BiasOf(first, add, norm.HiddenSize) ?? BiasOf(second, add, norm.HiddenSize);
        if (projection is var (term, _, biasAdd))
        {
            if (ReferenceEquals(first, biasAdd.Output(0)))
                first = term;
            else
                second = term;
        }
        if (!Shapes.SameShape(first, sum) && !Shapes.SameShape(second, sum))
            return null;
        var (input, skip) = Shapes.SameShape(first, sum) ? (first, second) : (second, first);
        if (!FitsSkip(input.Shape!, skip.Shape))
            return null;
        return new Match(norm, add, input, skip, projection?.Bias, projection?.BiasAdd, !sum.IsOnlyReadBy(norm.Nodes));
    }

    public override void Rewrite(Match match, PassContext context)
    {
        var (norm, add, input, skip, bias, _, sumReadElsewhere) = match;
        var graph = add.Graph;
        List<Value?> inputs = [input, skip, norm.ScaleOrOnes(graph), norm.Bias];
        if (bias is not null)
            inputs.Add(bias);
        List<string?> outputs = [graph.UniqueValueName($"{norm.Last.Name}_skip_ln")];
        if (sumReadElsewhere)
            outputs.AddRange([null, null, graph.UniqueValueName($"{add.Name}_sum")]);
        var fused = context.AddMicrosoftNode(graph, "SkipLayerNormalization", inputs, outputs, [Attr.Float("epsilon", norm.Epsilon)], before: norm.Last);
        GraphRewriter.Bypass(norm.Last, [fused.Output(0), .. Enumerable.Repeat<Value?>(null, norm.Last.Outputs.Count - 1)]);
        if (sumReadElsewhere)
        {
            GraphRewriter.Bypass(add, fused.Output(3));
        }
    }

    public override IReadOnlyList<Node> MatchedNodes(Match match) =>
        match.BiasAdd is { } biasAdd ? [biasAdd, match.Add, .. match.Norm.Nodes] : [match.Add, .. match.Norm.Nodes];

    /// <summary>When <paramref name="operand"/> = t + bias (bias a constant [hidden] vector) is read only by <paramref name="add"/>: t, bias and that Add.</summary>
    static (Value Term, Value Bias, Node BiasAdd)? BiasOf(Value operand, Node add, long hidden) =>
        operand.ProducedBy("Add") is { } biasAdd && operand.IsOnlyReadBy(add) && Operands.SplitConstant(biasAdd) is var (term, bias)
            && Operands.IsFloatVector(bias, hidden) && Shapes.SameShape(term, operand)
            ? (term, bias, biasAdd)
            : null;

    /// <summary>The input and skip shapes SkipLayerNormalization accepts (input's shape is the sum's).</summary>
    static bool FitsSkip(Shape input, Shape? skip)
    {
        if (skip is null || input.Rank is not (2 or 3))
            return false;
        if (skip.Rank == input.Rank && skip.Zip(input).All(pair => Shapes.SameDim(pair.First, pair.Second)))
            return true;
        var sequenceAndHidden = input.Skip(1);
        return input.Rank == 3 && (skip.Rank == 3 && skip[0].Value == 1 && skip.Skip(1).Zip(sequenceAndHidden).All(pair => Shapes.SameDim(pair.First, pair.Second))
            || skip.Rank == 2 && skip.Zip(sequenceAndHidden).All(pair => Shapes.SameDim(pair.First, pair.Second)));
    }
}
