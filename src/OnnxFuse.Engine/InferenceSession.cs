using OnnxFuse.Engine.Kernels;
using OnnxFuse.Engine.Planning;
using OnnxFuse.Engine.Profiling;
using OnnxFuse.Engine.Runtime;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;

namespace OnnxFuse.Engine;

/// <summary>
/// Runs one model on the managed engine: planned once at <see cref="Create"/> (kernels created, weights prepacked),
/// then run many times. Intermediate buffers are pooled and recycled after their last use, so steady-state runs
/// allocate only the returned outputs. <see cref="Run"/> may be called from several threads; each concurrent call
/// gets its own frame. Disposing drops the cached frames; the model is not owned and stays usable.
/// </summary>
public sealed class InferenceSession : IDisposable
{
    readonly ModelPlan _plan;
    readonly int _threadCount;
    readonly InputBinding[] _inputs;
    ExecutionFrame? _cachedFrame;
    long _peakArenaBytes;
    bool _disposed;

    InferenceSession(Model model, ModelPlan plan, EngineOptions options, NodeProfile? profile)
    {
        _plan = plan;
        NodeProfile = profile;
        _threadCount = options.ThreadCount;
        var graph = model.Graph;
        _inputs = new InputBinding[graph.Inputs.Count];
        for (var i = 0; i < graph.Inputs.Count; i++)
        {
            var value = graph.Inputs[i];
            var type = value.Type as TensorType;
            _inputs[i] = new InputBinding(value.Name, plan.Main.InputSlots[i], type?.ElementType ?? ElementType.Undefined, type?.Shape,
                value.Initializer);
        }
        Inputs = [.. _inputs.Select(b => new TensorInfo(b.Name, b.ElementType, b.Shape))];
        Outputs = [.. graph.Outputs.Select(v => new TensorInfo(v.Name, v.ElementType ?? ElementType.Undefined, v.Shape))];
    }

    /// <summary>The graph's inputs in order (inputs with an initializer default may be left out of <see cref="Run"/>).</summary>
    public IReadOnlyList<TensorInfo> Inputs { get; }

    /// <summary>The graph's outputs in order; <see cref="Run"/> returns them in this order.</summary>
    public IReadOnlyList<TensorInfo> Outputs { get; }

    /// <summary>Time spent per node over the runs so far, when <see cref="EngineOptions.ProfileNodes"/> is set; else null.</summary>
    public NodeProfile? NodeProfile { get; }

    /// <summary>The most bytes of pooled intermediate buffers any run of this session held at once.</summary>
    public long PeakArenaBytes => Interlocked.Read(ref _peakArenaBytes);

    /// <summary>
    /// Plans <paramref name="model"/>. Throws one <see cref="UnsupportedOpException"/> listing every node (subgraphs
    /// included) whose operator the engine lacks.
    /// </summary>
    public static InferenceSession Create(Model model, EngineOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        options ??= new EngineOptions();
        var profile = options.ProfileNodes ? new NodeProfile() : null;
        var registry = profile is null ? KernelRegistry.Default : ProfiledKernels.Wrap(KernelRegistry.Default, profile);
        return new InferenceSession(model, Planner.Build(model, registry), options, profile);
    }

    /// <summary>
    /// Runs the model. Every input without a default must be given, with the declared element type and rank and
    /// matching static dimensions. Returns new tensors (owned by the caller) in graph output order.
    /// </summary>
    public IReadOnlyList<TensorData> Run(IReadOnlyDictionary<string, TensorData> inputs)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentNullException.ThrowIfNull(inputs);
        var frame = Interlocked.Exchange(ref _cachedFrame, null) ?? new ExecutionFrame(_plan, _threadCount);
        var completed = false;
        try
        {
            BindInputs(inputs, frame);
            Executor.RunMain(_plan.Main, frame);
            var results = CopyOutputs(frame);
            ReleaseInputsAndOutputs(frame);
            completed = true;
            return results;
        }
        finally
        {
            if (!completed)
                frame.ReleaseAll();
            UpdatePeak(frame.PeakBytes);
            Interlocked.CompareExchange(ref _cachedFrame, frame, null);
        }
    }

    public void Dispose()
    {
        _disposed = true;
        _cachedFrame = null;
    }

    void BindInputs(IReadOnlyDictionary<string, TensorData> inputs, ExecutionFrame frame)
    {
        var matched = 0;
        foreach (var binding in _inputs)
        {
            if (inputs.TryGetValue(binding.Name, out var data))
            {
                binding.Validate(data);
                ExecutionFrame.BindInput(frame.Slots[binding.Slot], data);
                matched++;
            }
            else if (binding.Default is { } fallback)
                ExecutionFrame.BindInput(frame.Slots[binding.Slot], fallback);
            else
                Throw.ShapeMismatch($"input '{binding.Name}' ({binding.Describe()}) is missing");
        }
        if (matched != inputs.Count)
        {
            foreach (var name in inputs.Keys)
                if (Array.FindIndex(_inputs, b => b.Name == name) < 0)
                    Throw.ShapeMismatch($"'{name}' is not an input of the model; its inputs are {string.Join(", ", _inputs.Select(b => b.Name))}");
        }
    }

    TensorData[] CopyOutputs(ExecutionFrame frame)
    {
        var slots = _plan.Main.OutputSlots;
        var results = new TensorData[slots.Length];
        Span<long> dims = stackalloc long[16];
        for (var i = 0; i < slots.Length; i++)
        {
            var tensor = frame.Slots[slots[i]];
            if (!tensor.IsBound)
                Throw.ShapeMismatch($"output '{Outputs[i].Name}' was not computed");
            var rank = tensor.Rank;
            var outputDims = rank <= dims.Length ? dims[..rank] : new long[rank];
            for (var d = 0; d < rank; d++)
                outputDims[d] = tensor.Dim(d);
            results[i] = TensorData.FromBytes(tensor.ElementType, outputDims, tensor.Bytes.ToArray(), Outputs[i].Name);
        }
        return results;
    }

    void ReleaseInputsAndOutputs(ExecutionFrame frame)
    {
        foreach (var slot in _plan.Main.OwnedOutputSlots)
            frame.Slots[slot].Release();
        foreach (var slot in _plan.Main.InputSlots)
            if (!frame.IsConstant[slot])
                frame.Slots[slot].Release();
    }

    void UpdatePeak(long peak)
    {
        var current = Interlocked.Read(ref _peakArenaBytes);
        while (peak > current)
        {
            var seen = Interlocked.CompareExchange(ref _peakArenaBytes, peak, current);
            if (seen == current)
                break;
            current = seen;
        }
    }

    sealed record InputBinding(string Name, int Slot, ElementType ElementType, Shape? Shape, TensorData? Default)
    {
        public string Describe() => $"{ElementType.DisplayName()}{Shape?.ToString() ?? "[?]"}";

        public void Validate(TensorData data)
        {
            if (ElementType != ElementType.Undefined && data.ElementType != ElementType)
                Throw.ShapeMismatch($"input '{Name}' expects {Describe()} but got {data.ElementType.DisplayName()}{Format(data)}");
            if (Shape is null)
                return;
            if (Shape.Rank != data.Rank)
                Throw.ShapeMismatch($"input '{Name}' expects rank {Shape.Rank} {Describe()} but got rank {data.Rank} {Format(data)}");
            for (var d = 0; d < Shape.Rank; d++)
                if (Shape[d].Value is { } expected && expected != data.Dims[d])
                    Throw.ShapeMismatch($"input '{Name}' expects {Describe()} but got {Format(data)} (dimension {d} is {data.Dims[d]}, not {expected})");
        }

        static string Format(TensorData data) => $"[{string.Join(',', data.Dims)}]";
    }
}
