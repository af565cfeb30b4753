using OnnxFuse.Ir.Editing;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Passes.Fusions;
using OnnxFuse.Passes.Matching;
using OnnxFuse.Passes.Rewriting;

namespace OnnxFuse.Passes.Quantization;

/// <summary>
/// A fused module: its head op (which the quantizer treats as the whole group) and the value quantized as its output.
/// </summary>
public sealed record FusedModule(Node Head, Value QuantizationPoint, IReadOnlyList<Node> Absorbed);

/// <summary>
/// Applies the config's <c>fuse_names</c>, as NNI's module fusion does for simulated quantization:
/// <code>
/// (conv, bn)         Conv → BatchNormalization        ⇒  Conv(W', B')                 output quantized after Conv
/// (conv, bn, act)    Conv → BatchNormalization → act  ⇒  Conv(W', B') → act           output quantized after act
/// (op, act)          Conv|Gemm|MatMul → act           ⇒  unchanged                    output quantized after act
/// </code>
/// BatchNormalization is folded by <see cref="ConvBatchNormFusion"/>; the activation (Relu, Clip) stays, but no
/// Q/DQ pair goes between it and the op, which is the pattern ONNX Runtime's QDQ transformer turns into one int8
/// kernel with the activation folded into the output range. Every tuple is checked before any edit, and no node may be in two tuples.
/// </summary>
public static class ModuleFusion
{
    static readonly string[] s_heads = ["Conv", "Gemm", "MatMul"];
    static readonly string[] s_activations = ["Relu", "Clip"];

    public static IReadOnlyList<FusedModule> Apply(Model model, QuantizationConfig config)
    {
        var graph = model.Graph;
        var groups = config.Entries.SelectMany(entry => entry.FuseNames.Select((names, i) => Resolve(graph, names, $"{entry.Where}.fuse_names[{i}]"))).ToList();
        var claimed = new Dictionary<Node, string>();
        foreach (var (nodes, where) in groups)
            foreach (var node in nodes)
                if (!claimed.TryAdd(node, where))
                    throw new QuantizationConfigException($"{where}: {node.Describe()} is already fused by {claimed[node]}");
        var context = new PassContext(model, new OptimizerOptions());
        var batchNormFusion = new ConvBatchNormFusion();
        var fused = new List<FusedModule>();
        foreach (var (nodes, where) in groups)
        {
            if (nodes[1].OpType == "BatchNormalization")
            {
                var match = batchNormFusion.TryMatch(nodes[1], context)
                    ?? throw new QuantizationConfigException($"{where}: {nodes[1].Describe()} cannot be folded into {nodes[0].Describe()} (non-constant weights or a channel mismatch)");
                batchNormFusion.Rewrite(match, context);
            }
            var tail = nodes[^1].OpType == "BatchNormalization" ? nodes[0] : nodes[^1];
            fused.Add(new FusedModule(nodes[0], tail.Output(0), nodes[1..]));
        }
        DeadCodeElimination.Run(graph);
        return fused;
    }

    /// <summary>The tuple's nodes, checked: each name one node, adjacent in order, a supported combination.</summary>
    static (Node[] Nodes, string Where) Resolve(Graph graph, IReadOnlyList<string> names, string where)
    {
        var tuple = $"({string.Join(", ", names)})";
        if (names.Count is < 2 or > 3)
            throw new QuantizationConfigException($"{where}: {tuple} has {names.Count} names; a fuse tuple has 2 or 3");
        var nodes = names.Select(name => ModuleNames.Resolve(name, graph) switch
        {
            [var single] => single,
            [] => throw new QuantizationConfigException($"{where}: {tuple}: no node is named '{name}'"),
            var many => throw new QuantizationConfigException($"{where}: {tuple}: '{name}' names {many.Count} nodes ({string.Join(", ", many.Take(3).Select(n => n.Name))}…); use a longer module path"),
        }).ToArray();
        for (var i = 1; i < nodes.Length; i++)
            if (nodes[i].Inputs.Count == 0 || nodes[i].Input(0).Producer != nodes[i - 1] || !nodes[i - 1].Output(0).IsOnlyReadBy(nodes[i]))
                throw new QuantizationConfigException($"{where}: {tuple}: '{names[i]}' does not directly (and alone) read the output of '{names[i - 1]}'");
        var types = nodes.Select(n => n.OpType).ToArray();
        var supported = s_heads.Contains(types[0]) && types.Skip(1).Select((type, i) => type == "BatchNormalization"
            ? i == 0 && types[0] == "Conv"
            : s_activations.Contains(type) && i == types.Length - 2).All(ok => ok);
        return supported
            ? (nodes, where)
            : throw new QuantizationConfigException($"{where}: {tuple} is {string.Join(" → ", types)}, which cannot be fused (supported: Conv → BatchNormalization [→ Relu|Clip], Conv|Gemm|MatMul → Relu|Clip)");
    }
}
