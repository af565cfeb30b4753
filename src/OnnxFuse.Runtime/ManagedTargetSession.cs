using OnnxFuse.Engine;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Runtime;

/// <summary>The managed engine behind the runner API, running the graph <see cref="ManagedModelPreparation"/> makes of the model.</summary>
sealed class ManagedTargetSession(Model model, RunnerOptions options) : ITargetSession
{
    readonly InferenceSession _session = InferenceSession.Create(ManagedModelPreparation.Prepare(model, options),
        options.ThreadCount > 0 ? new EngineOptions { ThreadCount = options.ThreadCount } : new EngineOptions());

    readonly HashSet<string> _defaulted = [.. model.Graph.Inputs.Where(i => i.IsInitializer).Select(i => i.Name)];

    public IReadOnlyList<ValueDescription> Inputs =>
        [.. _session.Inputs.Select(i => new ValueDescription(i.Name, i.ElementType, i.Shape) { HasDefault = _defaulted.Contains(i.Name) })];

    public IReadOnlyList<ValueDescription> Outputs => [.. _session.Outputs.Select(o => new ValueDescription(o.Name, o.ElementType, o.Shape))];

    public IReadOnlyList<TensorData> Run(IReadOnlyDictionary<string, TensorData> inputs) => _session.Run(inputs);

    public void Dispose() => _session.Dispose();
}
