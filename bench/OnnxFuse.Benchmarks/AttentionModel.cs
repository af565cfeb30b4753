using System.Globalization;
using OnnxFuse.Ir.Building;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Onnx;

namespace OnnxFuse.Benchmarks;

/// <summary>
/// The <c>attention-model OUTPUT [SEQ] [HIDDEN] [HEADS] [--unfused]</c> verb: writes a BERT self-attention layer,
/// input [1, SEQ, HIDDEN] (defaults 128, 256, 4: bert_mini's shape) with constant weights and a constant int32
/// mask_index [1, SEQ] whose last eighth is padding. By default it is one com.microsoft Attention node; with
/// <c>--unfused</c> it is the ONNX subgraph BERT exports (MatMul + Add, Reshape, Transpose, MatMul, Div, Add mask,
/// Softmax, MatMul, Transpose, Reshape), so <c>onnxfuse bench</c> can time both on ONNX Runtime and the managed engine.
/// </summary>
static class AttentionModel
{
    public static int Run(string[] args)
    {
        var unfused = args.Contains("--unfused");
        var numbers = args.Where(a => a != "--unfused").ToArray();
        if (numbers.Length is < 1 or > 4)
        {
            Console.Error.WriteLine("usage: OnnxFuse.Benchmarks attention-model OUTPUT.onnx [SEQ] [HIDDEN] [HEADS] [--unfused]");
            return 2;
        }
        var tokens = numbers.Length > 1 ? int.Parse(numbers[1], CultureInfo.InvariantCulture) : 128;
        var hidden = numbers.Length > 2 ? int.Parse(numbers[2], CultureInfo.InvariantCulture) : 256;
        var heads = numbers.Length > 3 ? int.Parse(numbers[3], CultureInfo.InvariantCulture) : 4;
        var model = unfused ? Unfused(tokens, hidden, heads) : Fused(tokens, hidden, heads);
        ModelFile.Save(model, numbers[0]);
        Console.WriteLine($"{(unfused ? "unfused" : "Attention")} S={tokens} hidden={hidden} heads={heads} → {numbers[0]}");
        return 0;
    }

    static Model Fused(int tokens, int hidden, int heads)
    {
        var b = new GraphBuilder(opset: 13, name: "attention");
        var x = b.Input("input", ElementType.Float, 1, tokens, hidden);
        var weights = b.Initializer("weights", Uniform([hidden, 3 * hidden], 1, 1f / MathF.Sqrt(hidden)));
        var bias = b.Initializer("bias", Uniform([3 * hidden], 2, 0.1f));
        var mask = b.Initializer("mask_index", Mask(tokens));
        var node = b.AddNode("Attention", [x, weights, bias, mask], 1, [Attr.Int("num_heads", heads)], domain: "com.microsoft");
        b.Output(node.Output(0), "output");
        return b.Build();
    }

    static Model Unfused(int tokens, int hidden, int heads)
    {
        var headSize = hidden / heads;
        var b = new GraphBuilder(opset: 13, name: "attention_unfused");
        var x = b.Input("input", ElementType.Float, 1, tokens, hidden);
        var all = Uniform([hidden, 3 * hidden], 1, 1f / MathF.Sqrt(hidden)).ToArray<float>();
        var allBias = Uniform([3 * hidden], 2, 0.1f).ToArray<float>();
        var toHeads = b.Initializer("to_heads", TensorData.Create<long>([4], [1, tokens, heads, headSize]));
        var toHidden = b.Initializer("to_hidden", TensorData.Create<long>([3], [1, tokens, hidden]));
        Value Project(int part, long[] perm)
        {
            var w = new float[hidden * hidden];
            for (var r = 0; r < hidden; r++)
                Array.Copy(all, r * 3 * hidden + part * hidden, w, r * hidden, hidden);
            var weight = b.Initializer($"w{part}", TensorData.Create<float>([hidden, hidden], w));
            var bias = b.Initializer($"b{part}", TensorData.Create<float>([hidden], allBias.AsSpan(part * hidden, hidden)));
            var projected = b.Node("Add", [b.Node("MatMul", [x, weight]), bias]);
            return b.Node("Transpose", [b.Node("Reshape", [projected, toHeads])], Attr.Ints("perm", perm));
        }
        var q = Project(0, [0, 2, 1, 3]);
        var k = Project(1, [0, 2, 3, 1]);
        var v = Project(2, [0, 2, 1, 3]);
        var maskValues = Mask(tokens).ToArray<int>().Select(m => m > 0 ? 0f : -10000f).ToArray();
        var additive = b.Initializer("additive_mask", TensorData.Create<float>([1, 1, 1, tokens], maskValues));
        var scale = b.Initializer("sqrt_head_size", TensorData.Scalar(MathF.Sqrt(headSize)));
        var scores = b.Node("Add", [b.Node("Div", [b.Node("MatMul", [q, k]), scale]), additive]);
        var context = b.Node("MatMul", [b.Node("Softmax", [scores], Attr.Int("axis", -1)), v]);
        var output = b.Node("Reshape", [b.Node("Transpose", [context], Attr.Ints("perm", [0, 2, 1, 3])), toHidden]);
        b.Output(output, "output");
        return b.Build();
    }

    static TensorData Uniform(long[] dims, int seed, float limit)
    {
        var random = new Random(seed);
        var values = new float[dims.Aggregate(1L, (a, d) => a * d)];
        for (var i = 0; i < values.Length; i++)
            values[i] = (float)((random.NextDouble() * 2 - 1) * limit);
        return TensorData.Create<float>(dims, values);
    }

    static TensorData Mask(int tokens) =>
        TensorData.Create<int>([1, tokens], [.. Enumerable.Range(0, tokens).Select(i => i < tokens - tokens / 8 ? 1 : 0)]);
}
