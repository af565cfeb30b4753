using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Passes.Quantization;

/// <summary>How activation ranges are estimated from the calibration samples.</summary>
public enum CalibrationMethod
{
    /// <summary>The smallest and largest value seen over all samples.</summary>
    MinMax,

    /// <summary>
    /// Per sample, the (100 − p)-th and p-th percentiles of the tensor's values; the range is their mean over the
    /// samples (outliers clipped, as ONNX Runtime's percentile calibrator does with a histogram).
    /// </summary>
    Percentile,
}

/// <summary>A calibrated activation range [Min, Max].</summary>
public readonly record struct ActivationRange(float Min, float Max);

/// <summary>Runs the calibration samples through the float model and reduces each observed value to a range.</summary>
public static class Calibration
{
    public static Dictionary<string, ActivationRange> Ranges(Model model, IReadOnlyCollection<string> valueNames, IActivationObserver observer,
        IEnumerable<IReadOnlyDictionary<string, TensorData>> samples, CalibrationMethod method, double percentile = 99.99)
    {
        var perSample = new Dictionary<string, List<ActivationRange>>(StringComparer.Ordinal);
        foreach (var observed in observer.Observe(model, valueNames, samples))
            foreach (var (name, tensor) in observed)
            {
                var values = tensor.AsSpan<float>();
                var range = method == CalibrationMethod.MinMax ? MinMax(values) : Percentiles(values, percentile);
                if (!perSample.TryGetValue(name, out var list))
                    perSample[name] = list = [];
                list.Add(range);
            }
        return perSample.ToDictionary(p => p.Key, p => method == CalibrationMethod.MinMax
            ? new ActivationRange(p.Value.Min(r => r.Min), p.Value.Max(r => r.Max))
            : new ActivationRange(p.Value.Average(r => r.Min), p.Value.Average(r => r.Max)), StringComparer.Ordinal);
    }

    static ActivationRange MinMax(ReadOnlySpan<float> values)
    {
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (var v in values)
        {
            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }
        return values.IsEmpty ? new(0, 0) : new(min, max);
    }

    static ActivationRange Percentiles(ReadOnlySpan<float> values, double percentile)
    {
        if (values.IsEmpty)
            return new(0, 0);
        var sorted = values.ToArray();
        Array.Sort(sorted);
        var high = (int)Math.Round((sorted.Length - 1) * percentile / 100);
        return new(sorted[sorted.Length - 1 - high], sorted[high]);
    }
}
