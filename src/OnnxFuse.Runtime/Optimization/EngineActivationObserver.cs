using OnnxFuse.Engine;
using OnnxFuse.Ir.Editing;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Passes.Quantization;

namespace OnnxFuse.Runtime.Optimization;

/// <summary>
/// Calibration's observer on the managed engine: a copy of the model gets the requested values as extra graph
/// outputs and runs once per sample. Graph inputs are read from the sample itself.
/// </summary>
public sealed class EngineActivationObserver : IActivationObserver
{
    public static EngineActivationObserver Instance { get; } = new();

    public IEnumerable<IReadOnlyDictionary<string, TensorData>> Observe(Model model, IReadOnlyCollection<string> valueNames,
        IEnumerable<IReadOnlyDictionary<string, TensorData>> samples)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(valueNames);
        ArgumentNullException.ThrowIfNull(samples);
        var copy = model.Clone();
        var graph = copy.Graph;
        var inputNames = graph.Inputs.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var observed = valueNames.Where(n => !inputNames.Contains(n)).ToList();
        foreach (var name in observed)
            if (graph.FindValue(name) is { } value && !graph.Outputs.Contains(value))
                graph.Outputs.Add(value);
        var extraNames = graph.Outputs.Select(o => o.Name).ToList();
        return Run(copy, samples, valueNames, inputNames, extraNames);
    }

    static IEnumerable<IReadOnlyDictionary<string, TensorData>> Run(Model model, IEnumerable<IReadOnlyDictionary<string, TensorData>> samples,
        IReadOnlyCollection<string> valueNames, HashSet<string> inputNames, List<string> outputNames)
    {
        using var session = InferenceSession.Create(model);
        var wanted = valueNames.ToHashSet(StringComparer.Ordinal);
        foreach (var sample in samples)
        {
            var outputs = session.Run(sample);
            var values = new Dictionary<string, TensorData>(StringComparer.Ordinal);
            for (var i = 0; i < outputNames.Count; i++)
                if (wanted.Contains(outputNames[i]))
                    values[outputNames[i]] = outputs[i];
            foreach (var name in inputNames.Where(wanted.Contains))
                values[name] = sample[name];
            yield return values;
        }
    }
}
