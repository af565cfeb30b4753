using OnnxFuse.Compose;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Onnx;

namespace OnnxFuse.Runtime;

/// <summary>
/// Runs the models of a switched fused model by index, in one resident session: <see cref="Run"/> takes model i's
/// inputs under their original names, sets the index input, and returns model i's outputs in its original order.
/// The other models' inputs are not passed (they keep their defaults) and their (empty) outputs are dropped.
/// Not thread-safe (as <see cref="ModelRunner"/>).
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
    readonly string _indexName;
    readonly Route[] _routes;
    // Reused by every call: the feeds are handed to the session, which keeps no reference after the run.
    readonly Dictionary<string, TensorData> _feeds = new(StringComparer.Ordinal);

    SwitchedModelRunner(Model model, ModelRunner runner)
    {
        _fusion = FusionMetadata.SelectSwitched(model, 0).Fusion;
        _runner = runner;
        _indexName = _fusion.IndexName!;
        var outputPositions = runner.Outputs.Select((o, i) => (o.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
        _routes = new Route[_fusion.Models.Count];
        foreach (var info in _fusion.Models)
            if (info.Index >= 0 && info.Index < _routes.Length)
                _routes[info.Index] = new Route(info, TensorData.Scalar((long)info.Index),
                    info.Inputs.ToDictionary(i => i.OriginalName, i => i.Name, StringComparer.Ordinal),
                    [.. info.Outputs.Select(o => outputPositions[o.Name])]);
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
        ArgumentNullException.ThrowIfNull(inputs);
        if (modelIndex < 0 || modelIndex >= _routes.Length || _routes[modelIndex] is null)
            throw new FusionException($"model index {modelIndex} is out of range: the fused model holds {_fusion.Models.Count} models ({string.Join(", ", ModelNames)})");
        var route = _routes[modelIndex];
        _feeds.Clear();
        _feeds[_indexName] = route.Index;
        foreach (var (name, value) in inputs)
        {
            if (!route.FusedInputs.TryGetValue(name, out var fused))
                throw new ShapeMismatchException($"model {modelIndex} ({route.Info.Name}) has no input '{name}' (inputs: {string.Join(", ", route.Info.Inputs.Select(i => i.OriginalName))})");
            _feeds[fused] = value;
        }
        IReadOnlyList<TensorData> outputs;
        try
        {
            outputs = _runner.RunExactly(_feeds);
        }
        finally
        {
            _feeds.Clear();
        }
        var results = new TensorData[route.OutputPositions.Length];
        for (var i = 0; i < results.Length; i++)
            results[i] = outputs[route.OutputPositions[i]];
        return results;
    }

    public void Dispose() => _runner.Dispose();

    /// <summary>Model i's index tensor, input names (original → fused) and output positions among the fused outputs, built once.</summary>
    sealed record Route(FusedModelInfo Info, TensorData Index, Dictionary<string, string> FusedInputs, int[] OutputPositions);
}
