using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Planning;

/// <summary>Finds values whose contents are fixed at plan time: initializers and every form of <c>Constant</c> node.</summary>
static class ConstantValues
{
    public static bool IsConstantNode(Node node) => node.OpType == "Constant" && node.IsDefaultDomain;

    public static TensorData? Find(Value value)
    {
        if (value.ConstantData is { } data)
            return data;
        if (value.Producer is not { } node || !IsConstantNode(node))
            return null;
        if (node.FindAttr("value_float") is { } f)
            return TensorData.Scalar(f.AsFloat());
        if (node.FindAttr("value_floats") is { } fs)
            return TensorData.Create<float>([fs.AsFloats().Count], [.. fs.AsFloats()]);
        if (node.FindAttr("value_int") is { } i)
            return TensorData.Scalar(i.AsInt());
        if (node.FindAttr("value_ints") is { } ints)
            return TensorData.Create<long>([ints.AsInts().Count], [.. ints.AsInts()]);
        return null;
    }
}
