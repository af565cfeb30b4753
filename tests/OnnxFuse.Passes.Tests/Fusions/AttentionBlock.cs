using OnnxFuse.Ir.Building;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;

namespace OnnxFuse.Passes.Tests.Fusions;

/// <summary>
/// A PyTorch-style self-attention block for AttentionFusion tests: x [2, 5, 8], 2 heads of 4, optional padding mask
/// m [2, 5] int64 through Unsqueeze → Unsqueeze → Cast → Sub(1, ·) → Mul(·, MaskValue), y [2, 5, 8].
/// Each property switches one detail, so near misses differ from the fused form in exactly one place.
/// </summary>
sealed record AttentionBlock
{
    public long Opset { get; init; } = 13;

    public bool Mask { get; init; }

    public float MaskValue { get; init; } = -10000f;

    public float MaskOne { get; init; } = 1f;

    /// <summary>div (scores / ScaleConstant), mul (scores · ScaleConstant), query (Q · ScaleConstant), value (V · ScaleConstant), none.</summary>
    public string Scale { get; init; } = "div";

    public float ScaleConstant { get; init; } = 2f;

    public bool KeyTwoTransposes { get; init; }

    public bool ConstantNodes { get; init; }

    public bool WithoutBias { get; init; }

    /// <summary>Q's projection as com.microsoft FusedMatMul (alpha 1, no transposes).</summary>
    public bool FusedMatMulQuery { get; init; }

    /// <summary>Symbolic batch and sequence dims, Reshape shapes computed by Shape → Gather → Unsqueeze → Concat.</summary>
    public bool DynamicShapes { get; init; }

    public bool QueryProjectionIsAlsoOutput { get; init; }

    public bool KeyWeightIsInput { get; init; }

    public bool CrossAttention { get; init; }

    public bool FloatMaskInput { get; init; }

    public bool SoftmaxIsAlsoOutput { get; init; }

    public long? SoftmaxAxis { get; init; } = -1;

    public long[] HeadShape { get; init; } = [2, 5, 2, 4];

    public long[] OutputPerm { get; init; } = [0, 2, 1, 3];

    public Model Build()
    {
        var b = new GraphBuilder(Opset);
        Dim[] dims = DynamicShapes ? [Dim.Symbol("batch"), Dim.Symbol("sequence")] : [2, 5];
        var x = b.Input("x", ElementType.Float, [.. dims, 8]);
        var memory = CrossAttention ? b.Input("memory", ElementType.Float, 2, 5, 8) : x;
        var query = Heads(b, x, "q", 10, [0, 2, 1, 3]);
        if (Scale == "query")
            query = b.Node("Mul", [query, Scalar(b, ScaleConstant)]);
        var key = KeyTwoTransposes
            ? b.Node("Transpose", [Heads(b, memory, "k", 20, [0, 2, 1, 3])], Attr.Ints("perm", [0, 1, 3, 2]))
            : Heads(b, memory, "k", 20, [0, 2, 3, 1]);
        var value = Heads(b, memory, "v", 30, [0, 2, 1, 3]);
        if (Scale == "value")
            value = b.Node("Mul", [value, Scalar(b, ScaleConstant)]);
        var scores = b.Node("MatMul", [query, key]);
        scores = Scale switch
        {
            "div" => b.Node("Div", [scores, Scalar(b, ScaleConstant)]),
            "mul" => b.Node("Mul", [scores, Scalar(b, ScaleConstant)]),
            _ => scores,
        };
        if (Mask)
            scores = b.Node("Add", [scores, MaskBias(b)]);
        else if (FloatMaskInput)
            scores = b.Node("Add", [scores, b.Input("bias", ElementType.Float, 2, 1, 1, 5)]);
        var probabilities = SoftmaxAxis is { } axis ? b.Node("Softmax", [scores], Attr.Int("axis", axis)) : b.Node("Softmax", [scores]);
        var weighted = b.Node("Transpose", [b.Node("MatMul", [probabilities, value])], Attr.Ints("perm", OutputPerm));
        b.Output(b.Node("Reshape", [weighted, Shape(b, x, [2, 5, 8])]), "y");
        if (SoftmaxIsAlsoOutput)
            b.Output(probabilities, "probabilities");
        return b.Build();
    }

    Value Heads(GraphBuilder b, Value input, string name, int seed, long[] perm)
    {
        var weight = KeyWeightIsInput && name == "k" ? b.Input("wk", ElementType.Float, 8, 8)
            : ConstantNodes ? b.Constant(Random(seed, 8, 8)) : b.RandomInitializer($"w{name}", seed, 8, 8);
        var projected = FusedMatMulQuery && name == "q"
            ? b.AddNode("FusedMatMul", [input, weight], attributes: [Attr.Float("alpha", 1f)], domain: "com.microsoft", domainVersion: 1).Output(0)
            : b.Node("MatMul", [input, weight]);
        if (!WithoutBias)
            projected = b.Node("Add", [ConstantNodes ? b.Constant(Random(seed + 1, 8)) : b.RandomInitializer($"b{name}", seed + 1, 8), projected]);
        if (QueryProjectionIsAlsoOutput && name == "q")
            b.Output(projected, "query");
        var split = b.Node("Reshape", [projected, Shape(b, input, HeadShape)]);
        return b.Node("Transpose", [split], Attr.Ints("perm", perm));
    }

    /// <summary>The Reshape target: a constant, or with <see cref="DynamicShapes"/> x's first two dims and the given rest.</summary>
    Value Shape(GraphBuilder b, Value x, long[] shape)
    {
        if (!DynamicShapes)
            return b.Constant(TensorData.Create<long>([shape.Length], shape));
        var inputShape = b.Node("Shape", [x]);
        Value Dim(long axis) => Unsqueeze(b, b.Node("Gather", [inputShape, b.Constant(TensorData.Create<long>([], [axis]))], Attr.Int("axis", 0)), 0);
        return b.Node("Concat", [Dim(0), Dim(1), b.Constant(TensorData.Create<long>([shape.Length - 2], shape.AsSpan(2)))], Attr.Int("axis", 0));
    }

    Value MaskBias(GraphBuilder b)
    {
        var mask = b.Input("mask", ElementType.Int64, DynamicShapes ? [Dim.Symbol("batch"), Dim.Symbol("sequence")] : [2, 5]);
        var expanded = Unsqueeze(b, Unsqueeze(b, mask, 1), 2);
        var cast = b.Node("Cast", [expanded], Attr.Int("to", (long)ElementType.Float));
        var inverted = b.Node("Sub", [Scalar(b, MaskOne), cast]);
        return b.Node("Mul", [inverted, Scalar(b, MaskValue)]);
    }

    Value Unsqueeze(GraphBuilder b, Value input, long axis) => Opset < 13
        ? b.Node("Unsqueeze", [input], Attr.Ints("axes", [axis]))
        : b.Node("Unsqueeze", [input, b.Constant(TensorData.Create<long>([1], [axis]))]);

    static Value Scalar(GraphBuilder b, float value) => b.Constant(TensorData.Create<float>([], [value]));

    static TensorData Random(int seed, params long[] dims)
    {
        var random = new Random(seed);
        var values = new float[dims.Aggregate(1L, (n, d) => n * d)];
        for (var i = 0; i < values.Length; i++)
            values[i] = (random.NextSingle() * 2) - 1;
        return TensorData.Create<float>(dims, values);
    }
}
