using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Passes.Rewriting;

namespace OnnxFuse.Passes.Cleanup;

/// <summary>
/// y = Constant(value | value_float | value_floats | value_int | value_ints)  ⇒  initializer y of the same graph.
/// The value keeps its name and readers (graph outputs included: ONNX lets an initializer be an output). The scalar
/// and list forms become float32 / int64 tensors of rank 0 / 1, so every later pass sees one storage form for them.
/// Sparse constants and the value_string(s) forms stay nodes.
/// </summary>
public sealed class ConstantHoisting : RewriteRule<ConstantHoisting.Match>
{
    public sealed record Match(Node Constant, TensorData Data);

    public override string Name => "hoist-constants";

    public override string Summary => "turns Constant nodes into initializers";

    public override OptimizationLevel Level => OptimizationLevel.Basic;

    public override string? RootOpType => "Constant";

    public override Match? TryMatch(Node root, PassContext context)
    {
        if (root.Attributes.Count != 1 || root.Outputs.Count != 1 || root.OptionalOutput(0) is null)
            return null;
        return Tensor(root.Attributes[0]) is { } data ? new Match(root, data) : null;
    }

    public override void Rewrite(Match match, PassContext context)
    {
        var output = match.Constant.Output(0);
        var graph = match.Constant.Graph;
        var name = output.Name;
        output.Name = graph.UniqueValueName($"{name}_hoisted");
        var initializer = graph.AddInitializer(name, match.Data.WithName(null));
        output.ReplaceAllUsesWith(initializer);
    }

    public override IReadOnlyList<Node> MatchedNodes(Match match) => [match.Constant];

    public override int NodesCreated(Match match) => 0;

    /// <summary>The tensor a Constant attribute defines, or null for the forms that stay nodes.</summary>
    static TensorData? Tensor(Attr attr)
    {
        if (attr.RefAttrName is not null)
            return null;
        return (attr.Name, attr.Kind) switch
        {
            ("value", AttrKind.Tensor) => attr.AsTensor(),
            ("value_float", AttrKind.Float) => TensorData.Scalar(attr.AsFloat()),
            ("value_floats", AttrKind.Floats) => TensorData.Create<float>([attr.AsFloats().Count], [.. attr.AsFloats()]),
            ("value_int", AttrKind.Int) => TensorData.Scalar(attr.AsInt()),
            ("value_ints", AttrKind.Ints) => TensorData.Create<long>([attr.AsInts().Count], [.. attr.AsInts()]),
            _ => null,
        };
    }
}
