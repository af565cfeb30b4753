using System.Globalization;
using OnnxFuse.Ir.Building;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Onnx;

namespace OnnxFuse.Benchmarks;

/// <summary>
/// The <c>recurrent-model OUTPUT [LSTM|GRU|RNN] [SEQ] [BATCH] [INPUT] [HIDDEN] [--bidirectional]</c> verb: writes one
/// recurrent node (defaults LSTM, 100 steps, batch 1, 80 inputs, hidden 256: a speech encoder layer over 80 filterbank
/// features) with constant weights in [−0.1, 0.1) and X as the input, reading Y and Y_h, so <c>onnxfuse bench</c> times
/// ONNX Runtime's kernel against the managed one.
/// </summary>
static class RecurrentModel
{
    public static int Run(string[] args)
    {
        var bidirectional = args.Contains("--bidirectional");
        var rest = args.Where(a => a != "--bidirectional").ToArray();
        if (rest.Length is < 1 or > 6 || rest.Length > 1 && rest[1] is not ("LSTM" or "GRU" or "RNN"))
        {
            Console.Error.WriteLine("usage: OnnxFuse.Benchmarks recurrent-model OUTPUT.onnx [LSTM|GRU|RNN] [SEQ] [BATCH] [INPUT] [HIDDEN] [--bidirectional]");
            return 2;
        }
        var opType = rest.Length > 1 ? rest[1] : "LSTM";
        int Number(int index, int fallback) => rest.Length > index ? int.Parse(rest[index], CultureInfo.InvariantCulture) : fallback;
        var (steps, batch, inputSize, hidden) = (Number(2, 100), Number(3, 1), Number(4, 80), Number(5, 256));
        var directions = bidirectional ? 2 : 1;
        var gates = opType switch { "LSTM" => 4, "GRU" => 3, _ => 1 };
        var b = new GraphBuilder(opset: 14, name: $"{opType.ToLowerInvariant()}_{steps}x{batch}x{inputSize}x{hidden}");
        var x = b.Input("X", ElementType.Float, steps, batch, inputSize);
        var w = b.Initializer("W", Uniform([directions, gates * hidden, inputSize], 1));
        var r = b.Initializer("R", Uniform([directions, gates * hidden, hidden], 2));
        var bias = b.Initializer("B", Uniform([directions, 2 * gates * hidden], 3));
        var node = b.AddNode(opType, [x, w, r, bias], opType == "LSTM" ? 3 : 2,
            [Attr.Int("hidden_size", hidden), Attr.String("direction", bidirectional ? "bidirectional" : "forward")]);
        b.Output(node.Output(0), "Y");
        b.Output(node.Output(1), "Y_h");
        ModelFile.Save(b.Build(), rest[0]);
        Console.WriteLine($"{opType} {(bidirectional ? "bidirectional " : "")}seq={steps} batch={batch} input={inputSize} hidden={hidden} → {rest[0]}");
        return 0;
    }

    static TensorData Uniform(long[] dims, int seed)
    {
        var random = new Random(seed);
        var values = new float[dims.Aggregate(1L, (a, c) => a * c)];
        for (var i = 0; i < values.Length; i++)
            values[i] = (float)(random.NextDouble() * 0.2 - 0.1);
        return TensorData.Create<float>(dims, values);
    }
}
