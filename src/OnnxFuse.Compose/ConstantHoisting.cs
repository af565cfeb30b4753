using OnnxFuse.Ir.Graphs;

namespace OnnxFuse.Compose;

/// <summary>
/// Turns the main graph's <c>Constant</c> nodes holding a dense <c>value</c> into initializers of the same name,
/// so that weights exported as Constant nodes are deduplicated and counted like any other weight.
/// </summary>
static class ConstantHoisting
{
    public static void Run(Graph graph)
    {
        foreach (var node in graph.Nodes.ToList())
        {
            if (node.OpType != "Constant" || !node.IsDefaultDomain || node.Attributes.Count != 1
                || node.FindAttr("value") is not { Kind: AttrKind.Tensor } attr || node.OptionalOutput(0) is not { } output)
                continue;
            var name = output.Name;
            var initializer = graph.AddInitializer(graph.UniqueValueName(name + "_hoisted"), attr.AsTensor());
            output.ReplaceAllUsesWith(initializer);
            graph.RemoveNode(node);
            initializer.Name = name;
        }
    }
}
