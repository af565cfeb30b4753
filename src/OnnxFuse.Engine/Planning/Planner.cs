using OnnxFuse.Engine.Kernels;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;

namespace OnnxFuse.Engine.Planning;

/// <summary>
/// Turns a model into a <see cref="ModelPlan"/>: expands model-local function calls, checks every node (subgraphs included) against the registry,
/// orders nodes, numbers value slots, binds constants, creates each node's kernel once, and computes liveness
/// so each intermediate buffer returns to the pool right after its last reader.
/// </summary>
sealed class Planner
{
    readonly Model _model;
    readonly KernelRegistry _registry;
    readonly Dictionary<Value, int> _slots = [];
    readonly List<(int Slot, TensorData Data)> _constants = [];
    readonly HashSet<int> _constantSlots = [];
    readonly List<string> _problems = [];

    Planner(Model model, KernelRegistry registry)
    {
        _model = model;
        _registry = registry;
    }

    public static ModelPlan Build(Model model, KernelRegistry registry)
    {
        model = FunctionInliner.Expand(model);
        var planner = new Planner(model, registry);
        planner.CheckSupport();
        var main = planner.PlanGraph(model.Graph, isMain: true);
        planner.ThrowProblems();
        return new ModelPlan(main, planner._slots.Count, [.. planner._constants]);
    }

    public int SlotOf(Value value)
    {
        if (!_slots.TryGetValue(value, out var slot))
        {
            slot = _slots.Count;
            _slots[value] = slot;
            if (ConstantValues.Find(value) is { } data)
            {
                _constants.Add((slot, data));
                _constantSlots.Add(slot);
            }
        }
        return slot;
    }

    long OpsetOf(Node node) => _model.OpsetImports[node.Domain] ?? (node.IsDefaultDomain ? _model.OpsetImports.Default : 1);

    void CheckSupport()
    {
        var problems = _problems;
        foreach (var node in _model.Graph.AllNodes())
        {
            if (ConstantValues.IsConstantNode(node))
                continue;
            var opset = OpsetOf(node);
            if (_registry.Find(node.Domain, node.OpType, opset) is null
                || node.Inputs.Concat(node.Outputs).Any(v => v?.Type is not (null or TensorType)))
                problems.Add(UnsupportedLine(node, opset));
        }
    }

    /// <summary>One error for every unsupported node: a summary line, then one line per node.</summary>
    void ThrowProblems()
    {
        if (_problems.Count == 0)
            return;
        var summary = $"{_problems.Count} node{(_problems.Count == 1 ? "" : "s")} use operators the managed engine does not support:";
        throw new UnsupportedOpException(string.Join('\n', [summary, .. _problems]));
    }

    static string UnsupportedLine(Node node, long opset) =>
        $"operator {node.OpType} (domain {(node.IsDefaultDomain ? "ai.onnx" : node.Domain)}, opset {opset}) at node '{node.Name}' is not supported by the managed engine";

    ExecutionPlan PlanGraph(Graph graph, bool isMain)
    {
        var inputSlots = graph.Inputs.Select(SlotOf).ToArray();
        foreach (var initializer in graph.Initializers)
            SlotOf(initializer);

        var order = NodeOrder.Sort(graph);
        var steps = new List<PlanStep>(order.Count);
        var stepNodes = new List<Node>(order.Count);
        foreach (var node in order)
        {
            if (ConstantValues.IsConstantNode(node))
            {
                if (node.OptionalOutput(0) is { } output && ConstantValues.Find(output) is null)
                    Throw.UnsupportedOp($"Constant node '{node.Name}' has no dense value attribute the managed engine understands");
                if (node.OptionalOutput(0) is { } constant)
                    SlotOf(constant);
                continue;
            }
            steps.Add(CreateStep(node));
            stepNodes.Add(node);
        }

        var outputSlots = graph.Outputs.Select(SlotOf).ToArray();
        var ownedOutputs = graph.Outputs
            .Where(v => ReferenceEquals(v.Graph, graph) && !_constantSlots.Contains(SlotOf(v)))
            .Select(SlotOf).Distinct().ToArray();
        // The session releases the main graph's inputs after the run: a step of one component releasing a shared
        // input would unbind it under another component still reading it.
        AssignReleases(graph, steps, stepNodes, outputSlots, releaseInputs: !isMain);
        var components = isMain ? GraphComponents.Find(stepNodes) : [];
        return new ExecutionPlan([.. steps], inputSlots, outputSlots, ownedOutputs)
        {
            Components = components.Count < 2 ? [] : [.. components.Select(c => c.Select(s => steps[s]).ToArray())],
            OutputTypes = [.. graph.Outputs.Select(v => v.Type as TensorType)],
        };
    }

    PlanStep CreateStep(Node node)
    {
        var subplans = new Dictionary<string, ExecutionPlan>(StringComparer.Ordinal);
        foreach (var attr in node.Attributes)
            if (attr.Kind == AttrKind.Graph)
                subplans[attr.Name] = PlanGraph(attr.AsGraph(), isMain: false);

        var inputSlots = node.Inputs.Select(v => v is null ? -1 : SlotOf(v)).ToArray();
        var outputSlots = node.Outputs.Select(v => v is null ? -1 : SlotOf(v)).ToArray();
        var constants = node.Inputs.Select(v => v is null ? null : ConstantValues.Find(v)).ToArray();
        var types = node.Inputs.Select(v => v?.Type as TensorType).ToArray();
        var opset = OpsetOf(node);
        var factory = _registry.Find(node.Domain, node.OpType, opset);
        if (factory is null || _problems.Count > 0 && node.Inputs.Concat(node.Outputs).Any(v => v?.Type is not (null or TensorType)))
            return new PlanStep(UnsupportedKernel.Instance, inputSlots, outputSlots, node.Describe());
        var inputPresent = node.Inputs.Select(v => v is not null).ToArray();
        var outputUsed = node.Outputs.Select(v => v is not null && (v.Uses.Count > 0 || v.IsGraphOutput)).ToArray();
        var info = new KernelCreateInfo(node.Domain, node.OpType, opset, node.Describe(), node.Attributes, constants, types,
            inputPresent, outputUsed, subplans);
        Kernel kernel;
        try
        {
            kernel = factory(info);
        }
        catch (UnsupportedOpException e)
        {
            // Attribute combinations a factory rejects are reported with the other unsupported nodes.
            _problems.Add($"{UnsupportedLine(node, opset)}: {e.Message}");
            kernel = UnsupportedKernel.Instance;
        }
        return new PlanStep(kernel, inputSlots, outputSlots, node.Describe());
    }

    /// <summary>Stands in for a rejected node until planning ends with the combined error.</summary>
    sealed class UnsupportedKernel : Kernel
    {
        public static UnsupportedKernel Instance { get; } = new();

        public override void Run(KernelContext context) => throw new InvalidOperationException("an unsupported node was scheduled");
    }

    /// <summary>
    /// Each value this graph computes (or, with <paramref name="releaseInputs"/>, receives as an input) is released
    /// after the last step that reads it, directly or through a subgraph; values nobody reads are released right
    /// after the step that made them.
    /// </summary>
    void AssignReleases(Graph graph, List<PlanStep> steps, List<Node> stepNodes, int[] outputSlots, bool releaseInputs)
    {
        var lastUse = new Dictionary<int, int>();
        if (releaseInputs)
            foreach (var input in graph.Inputs)
                lastUse[SlotOf(input)] = -1;
        for (var s = 0; s < steps.Count; s++)
            foreach (var output in stepNodes[s].Outputs)
                if (output is not null)
                    lastUse[SlotOf(output)] = s;
        for (var s = 0; s < steps.Count; s++)
        {
            foreach (var value in NodeOrder.ReadValues(stepNodes[s]))
            {
                var slot = SlotOf(value);
                if (lastUse.TryGetValue(slot, out var previous) && previous < s)
                    lastUse[slot] = s;
            }
        }
        var kept = new HashSet<int>(outputSlots);
        kept.UnionWith(_constantSlots);
        var releases = new List<int>[steps.Count];
        foreach (var (slot, step) in lastUse)
            if (step >= 0 && !kept.Contains(slot))
                (releases[step] ??= []).Add(slot);
        for (var s = 0; s < steps.Count; s++)
            steps[s].ReleaseSlots = releases[s]?.ToArray() ?? [];
    }
}
