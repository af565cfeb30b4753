using OnnxFuse.Ir.Graphs;

namespace OnnxFuse.Ir.Opsets;

/// <summary>
/// Softmax/LogSoftmax/Hardmax before 13 coerce the input to 2-D at <c>axis</c> (default 1) and normalize over the
/// flattened trailing dims; from 13 they normalize over the single <c>axis</c> (default -1). When the axis is known to
/// be the last one both agree, and the axis is just written out. Otherwise the old meaning is rebuilt:
/// <code>y = Reshape(Op(Flatten(x, axis), axis = 1), Shape(x))</code>
/// which needs no static shape.
/// </summary>
static class SoftmaxConversion
{
    public static void Convert(Node node, ConversionContext context)
    {
        var input = node.Input(0);
        var axis = node.GetInt("axis", 1);
        if (input.Shape is { } shape && (axis == -1 || axis == shape.Rank - 1))
        {
            node.SetAttr(Attr.Int("axis", -1));
            return;
        }
        var graph = node.Graph;
        var flatName = graph.UniqueValueName($"{node.Name}_flat");
        var flat = graph.AddNode("Flatten", [input], [flatName], [Attr.Int("axis", axis)], graph.UniqueNodeName(flatName), before: node).Output(0);
        var normName = graph.UniqueValueName($"{node.Name}_2d");
        var normalized = graph.AddNode(node.OpType, [flat], [normName], [Attr.Int("axis", 1)], graph.UniqueNodeName(normName), before: node).Output(0);
        var shapeName = graph.UniqueValueName($"{node.Name}_shape");
        var inputShape = graph.AddNode("Shape", [input], [shapeName], null, graph.UniqueNodeName(shapeName), before: node).Output(0);
        node.OpType = "Reshape";
        node.RemoveAttr("axis");
        node.TruncateInputs(0);
        node.AddInput(normalized);
        node.AddInput(inputShape);
    }
}
