using OnnxFuse.Ir.Building;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Passes.Quantization;
using OnnxFuse.Runtime.Optimization;

namespace OnnxFuse.Passes.Tests.Quantization;

/// <summary>Models, configs and options the quantization tests share.</summary>
static class QuantizationTestModels
{
    /// <summary>x[1,3,8,8] → /conv1/Conv(4, 3×3, pad 1, bias) → /bn1/BatchNormalization → /relu1/Relu → /conv2/Conv(2, 1×1) → y.</summary>
    public static Model ConvBatchNormRelu()
    {
        var b = new GraphBuilder(opset: 13);
        var x = b.Input("x", ElementType.Float, 1, 3, 8, 8);
        var conv = Named(b, "Conv", "/conv1/Conv", [x, b.RandomInitializer("w1", 7, 4, 3, 3, 3), b.RandomInitializer("b1", 8, 4)], Attr.Ints("pads", [1, 1, 1, 1]));
        var bn = Named(b, "BatchNormalization", "/bn1/BatchNormalization", [conv, b.RandomInitializer("scale", 9, 4), b.RandomInitializer("shift", 10, 4),
            b.RandomInitializer("mean", 11, 4), b.Initializer("var", TensorData.Create<float>([4], [0.5f, 1.5f, 0.2f, 2f]))], Attr.Float("epsilon", 1e-5f));
        var relu = Named(b, "Relu", "/relu1/Relu", [bn]);
        var conv2 = Named(b, "Conv", "/conv2/Conv", [relu, b.RandomInitializer("w2", 12, 2, 4, 1, 1), b.RandomInitializer("b2", 13, 2)]);
        b.Output(conv2, "y");
        return b.Build();
    }

    static Value Named(GraphBuilder builder, string opType, string name, IEnumerable<Value?> inputs, params Attr[] attributes) =>
        builder.AddNode(opType, inputs, attributes: attributes, name: name).Output(0);

    public static QuantizationConfig Parse(string yaml) => QuantizationConfigReader.Parse(yaml, "test.yaml");

    /// <summary>Conv (and Gemm) inputs, weights, bias and outputs, activations as given (uint8 affine by default); the given fuse tuples.</summary>
    public static QuantizationConfig ConvConfig(IEnumerable<IReadOnlyList<string>> fuseNames, QuantizedType type = QuantizedType.UInt8,
        QuantizationScheme scheme = QuantizationScheme.Affine) =>
        new([new QuantizationEntry([], ["Conv", "Gemm"], QuantizationTargets.Input | QuantizationTargets.Weight | QuantizationTargets.Bias | QuantizationTargets.Output,
            type, scheme, QuantizationGranularity.PerChannel, [.. fuseNames])]);

    /// <summary>Every Conv → BatchNormalization [→ Relu|Clip] and Conv → Relu|Clip chain, as module paths (the exporter's scopes).</summary>
    public static List<IReadOnlyList<string>> ConvChains(Model model)
    {
        var chains = new List<IReadOnlyList<string>>();
        foreach (var conv in model.Graph.Nodes.Where(n => n.OpType == "Conv"))
        {
            var chain = new List<Node> { conv };
            if (conv.Output(0).Consumers.SingleOrDefault() is { OpType: "BatchNormalization" } bn)
                chain.Add(bn);
            if (chain[^1].Output(0).Consumers.ToList() is [{ OpType: "Relu" or "Clip" } activation])
                chain.Add(activation);
            if (chain.Count > 1)
                chains.Add([.. chain.Select(n => ModuleNames.ModulePath(n.Name) ?? n.Name.TrimStart('/'))]);
        }
        return chains;
    }

    public static QuantizationOptions Options(Model model, int samples = 8, bool fuse = true) =>
        new(EngineActivationObserver.Instance, QuantizationError.RandomSamples(model, samples, firstSeed: 1)) { ApplyFusion = fuse };

    /// <summary>Held-out inputs: seeds far from the calibration seeds.</summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, TensorData>> HeldOut(Model model, int count = 4) =>
        QuantizationError.RandomSamples(model, count, firstSeed: 1000);
}
