using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Ir.Opsets;

/// <summary>What a conversion needs besides the node: the versions and helpers that add constant inputs.</summary>
sealed class ConversionContext(string modelName, long fromVersion, long toVersion)
{
    public string ModelName { get; } = modelName;

    public long FromVersion { get; } = fromVersion;

    public long ToVersion { get; } = toVersion;

    /// <summary>A <c>Constant</c> node placed just before <paramref name="node"/> in its graph; returns its output.</summary>
    public static Value Constant(Node node, string hint, TensorData data)
    {
        var graph = node.Graph;
        var name = graph.UniqueValueName($"{node.Name}_{hint}");
        return graph.AddNode("Constant", [], [name], [Attr.Tensor("value", data)], graph.UniqueNodeName(name), before: node).Output(0);
    }

    /// <summary>An int64 vector constant before <paramref name="node"/>.</summary>
    public static Value Int64s(Node node, string hint, IReadOnlyList<long> values) =>
        Constant(node, hint, TensorData.Create<long>([values.Count], [.. values]));

    /// <summary>A scalar of <paramref name="elementType"/> holding <paramref name="value"/> (float types and integers).</summary>
    public static TensorData Scalar(ElementType elementType, double value) => elementType switch
    {
        ElementType.Float => TensorData.Scalar((float)value),
        ElementType.Double => TensorData.Scalar(value),
        ElementType.Float16 => TensorData.Scalar((Half)value),
        ElementType.Int8 => TensorData.Scalar((sbyte)value),
        ElementType.UInt8 => TensorData.Scalar((byte)value),
        ElementType.Int16 => TensorData.Scalar((short)value),
        ElementType.UInt16 => TensorData.Scalar((ushort)value),
        ElementType.Int32 => TensorData.Scalar((int)value),
        ElementType.UInt32 => TensorData.Scalar((uint)value),
        ElementType.Int64 => TensorData.Scalar((long)value),
        ElementType.UInt64 => TensorData.Scalar((ulong)value),
        _ => throw new Errors.UnsupportedOpException($"cannot make a {elementType.DisplayName()} constant"),
    };

    /// <summary>Moves attribute <paramref name="attrName"/> (ints) to input <paramref name="inputIndex"/> as an int64 vector.</summary>
    public static void IntsToInput(Node node, string attrName, int inputIndex)
    {
        if (node.GetInts(attrName) is not { } values)
            return;
        node.SetInput(inputIndex, Int64s(node, attrName, values));
        node.RemoveAttr(attrName);
    }

    /// <summary>One-line error naming the model, node, operator and both opset versions.</summary>
    public Errors.UnsupportedOpException Refuse(Node node, string why) =>
        new($"model '{ModelName}': node {node.Describe()} cannot be converted from opset {FromVersion} to {ToVersion}: {why}");
}
