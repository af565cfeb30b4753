using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Runtime.Optimization;

/// <summary>
/// How far one model's float outputs are from another's over a set of inputs: max and mean |a − b| over every
/// element, cosine similarity of all the outputs concatenated, and for classifier outputs ([batch, classes] with
/// more than one class) the share of rows whose arg-max agrees.
/// </summary>
public sealed record OutputError(string Output, double MaxAbs, double MeanAbs, double Cosine, double? Top1Agreement);

/// <summary>Measures quantization error (quantized vs float) and the deployment gap (one model on two targets).</summary>
public static class QuantizationError
{
    /// <summary>
    /// The outputs of <paramref name="candidate"/> on <paramref name="candidateTarget"/> against <paramref name="reference"/>'s on
    /// <paramref name="referenceTarget"/>. The managed engine runs both models as written, without layer fusion, and QDQ models (float between Q/DQ pairs: the
    /// simulation); pass a model lowered by <c>QdqLowering</c> to measure its int8 kernels.
    /// </summary>
    public static IReadOnlyList<OutputError> Measure(Model reference, ExecutionTarget referenceTarget, Model candidate, ExecutionTarget candidateTarget,
        IReadOnlyList<IReadOnlyDictionary<string, TensorData>> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        using var expected = ModelRunner.Create(reference, new RunnerOptions { Target = referenceTarget, LowerQdq = false, ManagedOptimization = null });
        using var actual = ModelRunner.Create(candidate, new RunnerOptions { Target = candidateTarget, LowerQdq = false, ManagedOptimization = null });
        var sums = new Accumulator[expected.Outputs.Count];
        for (var i = 0; i < sums.Length; i++)
            sums[i] = new Accumulator();
        foreach (var sample in samples)
        {
            var a = expected.Run(sample);
            var b = actual.Run(sample);
            for (var i = 0; i < sums.Length; i++)
                sums[i].Add(a[i], b[i]);
        }
        return [.. sums.Select((s, i) => s.Result(expected.Outputs[i].Name))];
    }

    /// <summary><paramref name="count"/> seeded random inputs (seeds from <paramref name="firstSeed"/>), as <see cref="RandomTensors"/> makes them.</summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, TensorData>> RandomSamples(Model model, int count, int firstSeed)
    {
        ArgumentNullException.ThrowIfNull(model);
        var inputs = model.Graph.Inputs.Where(i => !i.IsInitializer).Select(i => new ValueDescription(i.Name, i.ElementType ?? ElementType.Float, i.Shape)).ToList();
        return [.. Enumerable.Range(0, count).Select(s => (IReadOnlyDictionary<string, TensorData>)inputs.Select((input, i) => (input.Name, Data: RandomTensors.For(input, ((firstSeed + s) * 131) + i)))
            .ToDictionary(p => p.Name, p => p.Data, StringComparer.Ordinal))];
    }

    /// <summary>
    /// The inputs of a calibration folder: one sample per subfolder of input_N.pb files (ONNX's test-data layout),
    /// the folder itself as one sample when it holds input_0.pb, or else one sample per .npy/.pb file for a
    /// single-input model.
    /// </summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, TensorData>> FolderSamples(Model model, string folder)
    {
        ArgumentNullException.ThrowIfNull(model);
        var inputs = model.Graph.Inputs.Where(i => !i.IsInitializer).Select(i => new ValueDescription(i.Name, i.ElementType ?? ElementType.Float, i.Shape)).ToList();
        if (File.Exists(Path.Combine(folder, "input_0.pb")))
            return [TensorFiles.LoadInputFolder(folder, inputs)];
        var subfolders = Directory.Exists(folder) ? [.. Directory.GetDirectories(folder).Order(StringComparer.Ordinal)] : new List<string>();
        if (subfolders.Count > 0)
            return [.. subfolders.Select(f => (IReadOnlyDictionary<string, TensorData>)TensorFiles.LoadInputFolder(f, inputs))];
        return [.. Directory.GetFiles(folder).Where(f => f.EndsWith(".npy", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".pb", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .Select(f => (IReadOnlyDictionary<string, TensorData>)new Dictionary<string, TensorData>(StringComparer.Ordinal) { [inputs[0].Name] = TensorFiles.Load(f) })];
    }

    sealed class Accumulator
    {
        double _maxAbs, _sumAbs, _dot, _normA, _normB;
        long _count, _rows, _agreeing;
        bool _classifier = true;

        public void Add(TensorData expected, TensorData actual)
        {
            var a = expected.AsSpan<float>();
            var b = actual.AsSpan<float>();
            for (var i = 0; i < a.Length; i++)
            {
                double diff = Math.Abs(a[i] - b[i]);
                _maxAbs = Math.Max(_maxAbs, diff);
                _sumAbs += diff;
                _dot += (double)a[i] * b[i];
                _normA += (double)a[i] * a[i];
                _normB += (double)b[i] * b[i];
            }
            _count += a.Length;
            _classifier &= expected.Rank == 2 && expected.Dims[1] > 1;
            if (!_classifier)
                return;
            var classes = (int)expected.Dims[1];
            for (var row = 0; row < a.Length / classes; row++)
            {
                _rows++;
                if (ArgMax(a.Slice(row * classes, classes)) == ArgMax(b.Slice(row * classes, classes)))
                    _agreeing++;
            }
        }

        public OutputError Result(string name) => new(name, _maxAbs, _count == 0 ? 0 : _sumAbs / _count,
            _normA == 0 || _normB == 0 ? (_normA == _normB ? 1 : 0) : _dot / Math.Sqrt(_normA * _normB),
            _classifier && _rows > 0 ? (double)_agreeing / _rows : null);

        static int ArgMax(ReadOnlySpan<float> values)
        {
            var best = 0;
            for (var i = 1; i < values.Length; i++)
                if (values[i] > values[best])
                    best = i;
            return best;
        }
    }
}
