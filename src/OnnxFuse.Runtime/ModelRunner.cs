using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Onnx;
using OnnxFuse.Ort;

namespace OnnxFuse.Runtime;

/// <summary>
/// Runs one model on one target (<see cref="ExecutionTarget"/>): describe inputs and outputs, set inputs by name, run,
/// read outputs by index or name. The same calls work on the managed engine and on ONNX Runtime.
/// Dispose it to release the target's session (native memory for ONNX Runtime).
/// </summary>
/// <example>
/// <code>
/// using var runner = ModelRunner.Load("model.onnx", new RunnerOptions { Target = ExecutionTarget.Managed });
/// runner.SetInput("input", tensor).Run();
/// var logits = runner.GetOutput(0);
/// </code>
/// </example>
public sealed class ModelRunner : IDisposable
{
    readonly ITargetSession _session;
    readonly Dictionary<string, TensorData> _inputs = new(StringComparer.Ordinal);
    readonly HashSet<string> _inputNames;
    readonly ValueDescription[] _required;
    IReadOnlyList<TensorData>? _outputs;

    ModelRunner(ITargetSession session, ExecutionTarget target)
    {
        _session = session;
        Target = target;
        Inputs = session.Inputs;
        Outputs = session.Outputs;
        _inputNames = new HashSet<string>(Inputs.Select(i => i.Name), StringComparer.Ordinal);
        _required = [.. Inputs.Where(i => !i.HasDefault)];
    }

    public ExecutionTarget Target { get; }

    public IReadOnlyList<ValueDescription> Inputs { get; }

    public IReadOnlyList<ValueDescription> Outputs { get; }

    /// <summary>A runner for an in-memory model (ONNX Runtime receives it serialized).</summary>
    public static ModelRunner Create(Model model, RunnerOptions? options = null)
    {
        options ??= new RunnerOptions();
        return options.Target switch
        {
            ExecutionTarget.Managed => new ModelRunner(new ManagedTargetSession(model, options), options.Target),
            _ => new ModelRunner(new OrtTargetSession(OrtSession.Create(ModelFile.Serialize(model), OrtTargetSession.OptionsFor(options),
                string.IsNullOrEmpty(model.Graph.Name) ? null : model.Graph.Name)), options.Target),
        };
    }

    /// <summary>A runner for a model file (ONNX Runtime reads the file itself, external data included).</summary>
    public static ModelRunner Load(string path, RunnerOptions? options = null)
    {
        options ??= new RunnerOptions();
        return options.Target switch
        {
            ExecutionTarget.Managed => new ModelRunner(new ManagedTargetSession(ModelFile.Load(path), options), options.Target),
            _ => new ModelRunner(new OrtTargetSession(OrtSession.Create(path, OrtTargetSession.OptionsFor(options))), options.Target),
        };
    }

    /// <summary>Sets input <paramref name="name"/> for the next <see cref="Run()"/>; the tensor is not copied.</summary>
    public ModelRunner SetInput(string name, TensorData value)
    {
        if (!_inputNames.Contains(name))
            throw new ShapeMismatchException($"the model has no input '{name}' (inputs: {string.Join(", ", Inputs)})");
        _inputs[name] = value;
        return this;
    }

    /// <summary>Runs with the inputs set so far; every input without a default must have been set.</summary>
    public ModelRunner Run()
    {
        _outputs = RunExactly(_inputs);
        return this;
    }

    /// <summary>
    /// Runs with exactly <paramref name="inputs"/>, ignoring those set with <see cref="SetInput"/>: what
    /// <see cref="SwitchedModelRunner"/> uses so one model's inputs are not passed along when another runs.
    /// </summary>
    internal IReadOnlyList<TensorData> RunExactly(IReadOnlyDictionary<string, TensorData> inputs)
    {
        foreach (var input in _required)
            if (!inputs.ContainsKey(input.Name))
                ThrowMissing(inputs);
        return _session.Run(inputs);
    }

    void ThrowMissing(IReadOnlyDictionary<string, TensorData> inputs)
    {
        var missing = _required.Where(i => !inputs.ContainsKey(i.Name)).Select(i => i.ToString()).ToList();
        throw new ShapeMismatchException($"input{(missing.Count == 1 ? "" : "s")} not set: {string.Join(", ", missing)}");
    }

    /// <summary>Runs with <paramref name="inputs"/> (by name) and returns the outputs in model order.</summary>
    public IReadOnlyList<TensorData> Run(IReadOnlyDictionary<string, TensorData> inputs)
    {
        foreach (var (name, value) in inputs)
            SetInput(name, value);
        return Run().Results;
    }

    /// <summary>Outputs of the last run, in model order.</summary>
    public IReadOnlyList<TensorData> Results => _outputs ?? throw new InvalidOperationException("no run yet: call Run() first");

    public TensorData GetOutput(int index) => index >= 0 && index < Outputs.Count
        ? Results[index]
        : throw new ArgumentOutOfRangeException(nameof(index), index, $"the model has {Outputs.Count} outputs");

    public TensorData GetOutput(string name)
    {
        for (var i = 0; i < Outputs.Count; i++)
            if (Outputs[i].Name == name)
                return Results[i];
        throw new ArgumentException($"the model has no output '{name}' (outputs: {string.Join(", ", Outputs.Select(o => o.Name))})", nameof(name));
    }

    public void Dispose() => _session.Dispose();
}
