using OnnxFuse.Compose;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Onnx;

namespace OnnxFuse.Runtime;

/// <summary>
/// Runs the models of a switched fused model by index, in one resident session: <see cref="Run"/> takes model i's
/// inputs under their original names, sets the index input, and returns model i's outputs in its original order.
/// The other models' inputs keep their defaults and their (empty) outputs are dropped.
/// </summary>
/// <example>
/// <code>
/// using var runner = SwitchedModelRunner.Load("switched.onnx");
/// var logits = runner.Run(1, new Dictionary&lt;string, TensorData&gt; { ["input"] = image })[0];
/// </code>
/// </example>
public sealed class SwitchedModelRunner : IDisposable
{
    readonly ModelRunner _runner;
    readonly FusionMetadata _fusion;
    readonly Dictionary<string, int> _outputPositions;

    SwitchedModelRunner(Model model, ModelRunner runner)
    {
        _fusion = FusionMetadata.SelectSwitched(model, 0).Fusion;
        _runner = runner;
        _outputPositions = runner.Outputs.Select((o, i) => (o.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
    }

    /// <summary>The fused models' names, in index order.</summary>
    public IReadOnlyList<string> ModelNames => [.. _fusion.Models.OrderBy(m => m.Index).Select(m => m.Name)];

    public static SwitchedModelRunner Create(Model model, RunnerOptions? options = null)
    {
        var runner = ModelRunner.Create(model, options);
        try
        {
            return new SwitchedModelRunner(model, runner);
        }
        catch
        {
            runner.Dispose();
            throw;
        }
    }

    public static SwitchedModelRunner Load(string path, RunnerOptions? options = null)
    {
        var model = ModelFile.Load(path);
        var runner = options?.Target == ExecutionTarget.OnnxRuntime ? ModelRunner.Load(path, options) : ModelRunner.Create(model, options);
        try
        {
            return new SwitchedModelRunner(model, runner);
        }
        catch
        {
            runner.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs model <paramref name="modelIndex"/> with <paramref name="inputs"/> keyed by that model's original input
    /// names; returns its outputs in its original order. An index out of range or an input the model does not have
    /// is a clear error.
    /// </summary>
    public IReadOnlyList<TensorData> Run(int modelIndex, IReadOnlyDictionary<string, TensorData> inputs)
    {
        if (modelIndex < 0 || modelIndex >= _fusion.Models.Count)
            throw new FusionException($"model index {modelIndex} is out of range: the fused model holds {_fusion.Models.Count} models ({string.Join(", ", ModelNames)})");
        var model = _fusion.Models.Single(m => m.Index == modelIndex);
        var feeds = new Dictionary<string, TensorData>(StringComparer.Ordinal) { [_fusion.IndexName!] = TensorData.Scalar((long)modelIndex) };
        foreach (var (name, value) in inputs)
        {
            var fused = model.Inputs.FirstOrDefault(i => i.OriginalName == name)
                ?? throw new ShapeMismatchException($"model {modelIndex} ({model.Name}) has no input '{name}' (inputs: {string.Join(", ", model.Inputs.Select(i => i.OriginalName))})");
            feeds[fused.Name] = value;
        }
        var outputs = _runner.Run(feeds);
        return [.. model.Outputs.Select(o => outputs[_outputPositions[o.Name]])];
    }

    public void Dispose() => _runner.Dispose();
}
