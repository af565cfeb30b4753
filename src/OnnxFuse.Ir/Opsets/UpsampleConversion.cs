using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Ir.Opsets;

/// <summary>
/// Upsample (deprecated at 10) → Resize-11+: <c>x_in = x_out / scale</c> is Resize's <c>asymmetric</c> transform,
/// and Upsample's nearest pick is <c>floor</c>. Scales come from the attribute (Upsample-7) or input 1 (Upsample-9);
/// roi is an empty tensor.
/// </summary>
static class UpsampleConversion
{
    public static void Convert(Node node, ConversionContext context)
    {
        var mode = node.GetString("mode", "nearest");
        var scales = node.GetFloats("scales") is { } attr
            ? ConversionContext.Constant(node, "scales", TensorData.Create<float>([attr.Count], [.. attr]))
            : node.OptionalInput(1) ?? throw context.Refuse(node, "Upsample has no scales");
        var roi = ConversionContext.Constant(node, "roi", TensorData.Create<float>([0], []));
        node.OpType = "Resize";
        node.RemoveAttr("scales");
        node.SetAttr(Attr.String("mode", mode == "nearest" ? "nearest" : "linear"));
        node.SetAttr(Attr.String("coordinate_transformation_mode", "asymmetric"));
        if (mode == "nearest")
            node.SetAttr(Attr.String("nearest_mode", "floor"));
        node.SetInput(1, roi);
        node.SetInput(2, scales);
    }
}
