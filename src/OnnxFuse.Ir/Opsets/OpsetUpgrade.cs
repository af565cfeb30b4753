using OnnxFuse.Ir.Graphs;

namespace OnnxFuse.Ir.Opsets;

/// <summary>
/// Raises a model's default-domain opset (main graph and subgraphs) to a higher version. Each node is checked against
/// <see cref="Changes"/>: for every change of its operator in (from, to] the conversion runs in version order; a change
/// without a conversion is refused with an <see cref="Errors.UnsupportedOpException"/> naming the model, node and both
/// versions. Operators not listed kept their meaning across versions (new types and optional attributes only).
/// The model's IR version is raised to the first one that carries the new opset.
/// </summary>
public static class OpsetUpgrade
{
    /// <summary>The newest default-domain opset whose definition changes <see cref="Changes"/> was checked against.</summary>
    public const long NewestCheckedVersion = 21;

    static readonly string[] s_reduceOps =
        ["ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1", "ReduceL2", "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare"];

    static readonly string[] s_broadcastOps = ["Add", "Sub", "Mul", "Div", "Pow", "And", "Or", "Xor", "Equal", "Greater", "Less", "PRelu", "Gemm"];

    /// <summary>Definition changes the upgrade knows, in version order per operator.</summary>
    internal static IReadOnlyList<OpsetChange> Changes { get; } =
    [
        new("Clip", 11, ClipConversion.Convert),
        new("Squeeze", 13, AxesToInputConversion.Convert),
        new("Unsqueeze", 13, AxesToInputConversion.Convert),
        new("ReduceSum", 13, AxesToInputConversion.Convert),
        .. s_reduceOps.Select(op => new OpsetChange(op, 18, AxesToInputConversion.Convert)),
        new("Split", 13, SplitConversion.SplitToInput),
        new("Split", 18, SplitConversion.StateOutputCount),
        new("Pad", 11, PadConversion.Convert),
        new("Slice", 10, SliceConversion.Convert),
        new("TopK", 10, TopKConversion.Convert),
        new("Softmax", 13, SoftmaxConversion.Convert),
        new("LogSoftmax", 13, SoftmaxConversion.Convert),
        new("Hardmax", 13, SoftmaxConversion.Convert),
        new("BatchNormalization", 7, BatchNormConversion.DropLegacyAttributes),
        new("BatchNormalization", 9, BatchNormConversion.DropLegacyAttributes),
        new("BatchNormalization", 14, BatchNormConversion.RequireInference),
        new("Upsample", 10, UpsampleConversion.Convert),
        new("Dropout", 7, DropoutConversion.Convert),
        new("Dropout", 12, DropoutConversion.Convert),
        // Changes OnnxFuse does not convert: the node is refused rather than silently reinterpreted.
        .. s_broadcastOps.Select(op => new OpsetChange(op, 7, null)),
        new("Concat", 4, null),
        new("Reshape", 5, null),
        new("Cast", 6, null),
        new("Tile", 6, null),
        new("Scan", 9, null),
        new("Resize", 11, null),
        new("Scatter", 11, null),
        new("RoiAlign", 16, null),
        new("DFT", 20, null),
        new("GridSample", 20, null),
        new("GroupNormalization", 21, null),
    ];

    static readonly ILookup<string, OpsetChange> s_byOp = Changes.OrderBy(c => c.Version).ToLookup(c => c.OpType, StringComparer.Ordinal);

    /// <summary>Converts <paramref name="model"/> in place to default-domain opset <paramref name="toVersion"/>.</summary>
    public static void Run(Model model, long toVersion, string modelName)
    {
        var fromVersion = model.OpsetImports.Default;
        if (fromVersion >= toVersion || fromVersion == 0)
            return;
        var context = new ConversionContext(modelName, fromVersion, toVersion);
        foreach (var node in model.Graph.AllNodes().Where(n => n.IsDefaultDomain).ToList())
        {
            // The op type is read once: an Upsample turned into Resize must not then meet Resize's own changes.
            foreach (var change in s_byOp[node.OpType].ToList())
            {
                if (change.Version <= fromVersion || change.Version > toVersion)
                    continue;
                if (change.Convert is null)
                    throw context.Refuse(node, $"{change.OpType} changed its definition at opset {change.Version}");
                change.Convert(node, context);
            }
        }
        model.OpsetImports[""] = toVersion;
        model.IrVersion = Math.Max(model.IrVersion, MinimumIrVersion(toVersion));
    }

    /// <summary>The IR version of the ONNX release that introduced default-domain opset <paramref name="opset"/>.</summary>
    public static long MinimumIrVersion(long opset) => opset switch
    {
        <= 8 => 3,
        9 => 4,
        10 => 5,
        11 => 6,
        <= 14 => 7,
        <= 18 => 8,
        <= 20 => 9,
        <= 22 => 10,
        _ => 11,
    };
}
