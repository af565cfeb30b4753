using OnnxFuse.Engine.Tests.Oracles;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Tests.Kernels.Recurrent;

/// <summary>
/// Seeded inputs of an RNN, GRU or LSTM node in ONNX's input order (X, W, R, B, sequence_lens, initial_h, initial_c, P),
/// with null for each omitted one, and the comparison with ONNX Runtime the recurrent tests share.
/// </summary>
static class RecurrentInputs
{
    public static TensorData?[] Create(int gateCount, int sequenceLength, int batchSize, int inputSize, int hiddenSize, int directionCount = 1,
        bool bias = true, int[]? lengths = null, bool initialHidden = false, bool initialCell = false, bool peepholes = false,
        float scale = 0.5f, int seed = 1)
    {
        var gates = gateCount * hiddenSize;
        long[] x = [sequenceLength, batchSize, inputSize];
        long[] state = [directionCount, batchSize, hiddenSize];
        return
        [
            OrtOracle.Floats(seed, x, -1f, 1f),
            OrtOracle.Floats(seed + 1, [directionCount, gates, inputSize], -scale, scale),
            OrtOracle.Floats(seed + 2, [directionCount, gates, hiddenSize], -scale, scale),
            bias ? OrtOracle.Floats(seed + 3, [directionCount, 2 * gates], -scale, scale) : null,
            lengths is null ? null : OrtOracle.Ints([batchSize], lengths),
            initialHidden ? OrtOracle.Floats(seed + 4, state, -1f, 1f) : null,
            initialCell ? OrtOracle.Floats(seed + 5, state, -1f, 1f) : null,
            peepholes ? OrtOracle.Floats(seed + 6, [directionCount, 3 * hiddenSize], -scale, scale) : null,
        ];
    }

    /// <summary>
    /// Runs the node on ONNX Runtime (oracle) and the engine and compares every listed output within rtol 1e-4 and
    /// atol 1e-5. W and R are initializers unless <paramref name="weightsAsInputs"/>.
    /// </summary>
    public static void AssertMatchesOrt(string opType, TensorData?[] inputs, Attr[] attributes, int[]? graphOutputs = null,
        bool weightsAsInputs = false, int threadCount = 1)
    {
        var count = Array.FindLastIndex(inputs, i => i is not null) + 1;
        OrtOracle.AssertMatchesOrt(opType, inputs[..count], attributes, domain: "", outputCount: OutputCount(opType),
            graphOutputs: graphOutputs, constantInputs: weightsAsInputs ? [] : [1, 2], threadCount: threadCount);
    }

    /// <summary>
    /// layout = 1 on the engine against ONNX Runtime, which runs only layout 0: ORT gets the sequence-major
    /// <paramref name="inputs"/>, the engine the same node with layout = 1 and X and the initial states transposed to
    /// batch-major; its outputs are transposed back and compared within rtol 1e-4 and atol 1e-5.
    /// </summary>
    public static void AssertBatchMajorMatchesOrt(string opType, TensorData?[] inputs, Attr[] attributes)
    {
        var count = Array.FindLastIndex(inputs, i => i is not null) + 1;
        inputs = inputs[..count];
        var outputCount = OutputCount(opType);
        var ortModel = OrtOracle.SingleNode(opType, inputs, attributes, domain: "", outputCount: outputCount, constantInputs: [1, 2]);
        var expected = OrtOracle.RunOrt(ortModel, OrtOracle.Feeds(ortModel, inputs));

        var batchMajor = inputs.Select((input, i) => input is null ? null : i switch
        {
            0 => Permute(input, [1, 0, 2]),
            5 or 6 => Permute(input, [1, 0, 2]),
            _ => input,
        }).ToArray();
        var engineModel = OrtOracle.SingleNode(opType, batchMajor, [.. attributes, Attr.Int("layout", 1)], domain: "", outputCount: outputCount,
            constantInputs: [1, 2]);
        var actual = OrtOracle.RunEngine(engineModel, OrtOracle.Feeds(engineModel, batchMajor));

        Assert.Equal(outputCount, actual.Count);
        Numerics.AssertClose(expected[0], Permute(actual[0], [1, 2, 0, 3]), OrtOracle.Rtol, OrtOracle.Atol);
        for (var i = 1; i < outputCount; i++)
            Numerics.AssertClose(expected[i], Permute(actual[i], [1, 0, 2]), OrtOracle.Rtol, OrtOracle.Atol);
    }

    static int OutputCount(string opType) => opType == "LSTM" ? 3 : 2;

    /// <summary>Transposes a float tensor: result dim i is source dim <paramref name="permutation"/>[i].</summary>
    static TensorData Permute(TensorData source, int[] permutation)
    {
        var dims = source.Dims.ToArray();
        var resultDims = permutation.Select(p => dims[p]).ToArray();
        var strides = new long[dims.Length];
        for (var (i, stride) = (dims.Length - 1, 1L); i >= 0; stride *= dims[i], i--)
            strides[i] = stride;
        var values = source.ToArray<float>();
        var result = new float[values.Length];
        var index = new long[dims.Length];
        for (var flat = 0; flat < result.Length; flat++)
        {
            var offset = 0L;
            for (var i = 0; i < permutation.Length; i++)
                offset += index[i] * strides[permutation[i]];
            result[flat] = values[offset];
            for (var i = index.Length - 1; i >= 0 && ++index[i] == resultDims[i]; i--)
                index[i] = 0;
        }
        return TensorData.Create<float>(resultDims, result);
    }
}
