using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Passes.Quantization;

/// <summary>
/// Runs a model and shows the values inside it, for calibration. Passes never reference the execution engine, so
/// whoever quantizes hands one in (the CLI passes the managed engine's).
/// </summary>
public interface IActivationObserver
{
    /// <summary>
    /// For each sample (graph-input name → tensor), the tensors of the values named in <paramref name="valueNames"/>
    /// (graph inputs included), in the order of the samples.
    /// </summary>
    IEnumerable<IReadOnlyDictionary<string, TensorData>> Observe(Model model, IReadOnlyCollection<string> valueNames,
        IEnumerable<IReadOnlyDictionary<string, TensorData>> samples);
}
