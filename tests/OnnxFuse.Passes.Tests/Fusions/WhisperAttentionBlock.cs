using OnnxFuse.Ir.Building;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;

namespace OnnxFuse.Passes.Tests.Fusions;

/// <summary>
/// Self-attention of a Whisper-like audio encoder as HuggingFace exports it (eager attention): x [B, S, D] →
/// q_proj (bias) · 1/√H, k_proj (no bias), v_proj (bias) → Reshape [B, S, N, H] → Transpose(0, 2, 1, 3) → Reshape
/// [B·N, S, H]; MatMul(Q, Transpose(K, 0, 2, 1)) → Softmax → MatMul(·, V) → Reshape [B, N, S, H] → Transpose(0, 2, 1, 3)
/// → Reshape [B, S, D] (before out_proj). Weights are uniform in ±1/√D. Each property switches one detail.
/// </summary>
sealed record WhisperAttentionBlock
{
    public long Opset { get; init; } = 17;

    public long Batch { get; init; } = 2;

    /// <summary>Not a multiple of 8, as the tails of real audio windows.</summary>
    public long Sequence { get; init; } = 7;

    public long Hidden { get; init; } = 64;

    public long HeadCount { get; init; } = 4;

    public long HeadSize => Hidden / HeadCount;

    /// <summary>The SDPA export instead: 4-D heads, √scale on Q and on Kᵀ = Transpose(K, 0, 1, 3, 2), no flattening.</summary>
    public bool Sdpa { get; init; }

    /// <summary>The Reshape target that flattens Q, K and V heads; null: [B·N, −1, H].</summary>
    public long[]? FlatShape { get; init; }

    /// <summary>A BERT-style padding mask chain added to the scores (valid for <see cref="Batch"/> 1 only).</summary>
    public bool Mask { get; init; }

    /// <summary>k_proj's output is also a graph output (a second reader of K).</summary>
    public bool KeyIsAlsoOutput { get; init; }

    public bool KeyBias { get; init; }

    public bool ConstantNodes { get; init; }

    /// <summary>
    /// Symbolic batch and sequence, every Reshape target computed from Shape(x) as tracing with dynamic axes writes it
    /// (bsz = Gather(Shape(x), 0), bsz·N = Mul(bsz, N), −1 for the sequence of the flattened heads).
    /// </summary>
    public bool DynamicShapes { get; init; }

    public Model Build()
    {
        var b = new GraphBuilder(Opset);
        var x = DynamicShapes
            ? b.Input("x", ElementType.Float, Dim.Symbol("batch"), Dim.Symbol("sequence"), Hidden)
            : b.Input("x", ElementType.Float, Batch, Sequence, Hidden);
        b.Output(Append(b, x, seed: 10), "y");
        return b.Build();
    }

    /// <summary>The attention block over <paramref name="x"/> [B, S, D], before out_proj; weights seeded from <paramref name="seed"/>.</summary>
    public Value Append(GraphBuilder b, Value x, int seed)
    {
        var scaling = 1f / MathF.Sqrt(HeadSize);
        var query = Projection(b, x, seed, bias: true);
        if (!Sdpa)
            query = b.Node("Mul", [query, Scalar(b, scaling)]);
        var key = Projection(b, x, seed + 2, KeyBias);
        if (KeyIsAlsoOutput)
            b.Output(key, $"key_{seed}");
        var value = Projection(b, x, seed + 4, bias: true);
        Value[] heads = [.. new[] { query, key, value }.Select(p =>
            b.Node("Transpose", [b.Node("Reshape", [p, Target(b, x, [Batch, Sequence, HeadCount, HeadSize], sequenceAxis: 1)])], Attr.Ints("perm", [0, 2, 1, 3])))];
        if (Sdpa)
        {
            var root = Scalar(b, MathF.Sqrt(scaling));
            var keyTransposed = b.Node("Transpose", [heads[1]], Attr.Ints("perm", [0, 1, 3, 2]));
            var sdpaScores = b.Node("MatMul", [b.Node("Mul", [heads[0], root]), b.Node("Mul", [keyTransposed, root])]);
            var sdpaWeighted = b.Node("MatMul", [b.Node("Softmax", [sdpaScores], Attr.Int("axis", -1)), heads[2]]);
            return MergeHeads(b, x, sdpaWeighted);
        }
        var flat = heads.Select(h => b.Node("Reshape", [h, FlatTarget(b, x)])).ToArray();
        var scores = b.Node("MatMul", [flat[0], b.Node("Transpose", [flat[1]], Attr.Ints("perm", [0, 2, 1]))]);
        if (Mask)
            scores = b.Node("Add", [scores, MaskBias(b)]);
        var weighted = b.Node("MatMul", [b.Node("Softmax", [scores], Attr.Int("axis", -1)), flat[2]]);
        return MergeHeads(b, x, b.Node("Reshape", [weighted, Target(b, x, [Batch, HeadCount, Sequence, HeadSize], sequenceAxis: 2)]));
    }

    Value MergeHeads(GraphBuilder b, Value x, Value heads) =>
        b.Node("Reshape", [b.Node("Transpose", [heads], Attr.Ints("perm", [0, 2, 1, 3])), Target(b, x, [Batch, Sequence, Hidden], sequenceAxis: 1)]);

    /// <summary>
    /// <paramref name="shape"/> (batch first) as a constant, or with <see cref="DynamicShapes"/> computed: the batch and
    /// the entry at <paramref name="sequenceAxis"/> read from Shape(x), the rest constant.
    /// </summary>
    Value Target(GraphBuilder b, Value x, long[] shape, int sequenceAxis)
    {
        if (!DynamicShapes)
            return Ints(b, shape);
        var dims = b.Node("Shape", [x]);
        return b.Node("Concat", [.. shape.Select((size, i) => i == 0 ? ShapeEntry(b, dims, 0) : i == sequenceAxis ? ShapeEntry(b, dims, 1) : Ints(b, size))],
            Attr.Int("axis", 0));
    }

    /// <summary>The flattening target: [B·N, −1, H], with <see cref="DynamicShapes"/> B·N = Mul(bsz, N).</summary>
    Value FlatTarget(GraphBuilder b, Value x)
    {
        if (!DynamicShapes)
            return Ints(b, FlatShape ?? [Batch * HeadCount, -1, HeadSize]);
        var batchTimesHeads = b.Node("Mul", [ShapeEntry(b, b.Node("Shape", [x]), 0), Ints(b, HeadCount)]);
        return b.Node("Concat", [batchTimesHeads, Ints(b, -1), Ints(b, HeadSize)], Attr.Int("axis", 0));
    }

    static Value ShapeEntry(GraphBuilder b, Value shape, long axis) =>
        b.Node("Unsqueeze", [b.Node("Gather", [shape, b.Constant(TensorData.Create<long>([], [axis]))], Attr.Int("axis", 0)), Ints(b, 0)]);

    Value Projection(GraphBuilder b, Value x, int seed, bool bias)
    {
        var projected = b.Node("MatMul", [x, Weight(b, $"w{seed}", seed, Hidden, Hidden)]);
        return bias ? b.Node("Add", [Weight(b, $"b{seed}", seed + 1, Hidden), projected]) : projected;
    }

    /// <summary>A seeded float tensor uniform in ±1/√<see cref="Hidden"/>, as an initializer or a Constant node.</summary>
    public Value Weight(GraphBuilder b, string name, int seed, params long[] dims)
    {
        var random = new Random(seed);
        var bound = 1 / MathF.Sqrt(Hidden);
        var values = new float[dims.Aggregate(1L, (n, d) => n * d)];
        for (var i = 0; i < values.Length; i++)
            values[i] = ((random.NextSingle() * 2) - 1) * bound;
        var data = TensorData.Create<float>(dims, values);
        return ConstantNodes ? b.Constant(data) : b.Initializer(name, data);
    }

    Value MaskBias(GraphBuilder b)
    {
        var mask = b.Input("mask", ElementType.Int64, Batch, Sequence);
        var expanded = b.Node("Unsqueeze", [b.Node("Unsqueeze", [mask, Ints(b, 1)]), Ints(b, 2)]);
        var inverted = b.Node("Sub", [Scalar(b, 1f), b.Node("Cast", [expanded], Attr.Int("to", (long)ElementType.Float))]);
        return b.Node("Mul", [inverted, Scalar(b, -10000f)]);
    }

    static Value Ints(GraphBuilder b, params long[] values) => b.Constant(TensorData.Create<long>([values.Length], values));

    static Value Scalar(GraphBuilder b, float value) => b.Constant(TensorData.Scalar(value));
}
