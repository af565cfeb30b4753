using OnnxFuse.Ir.Types;

namespace OnnxFuse.Engine.Planning;

/// <summary>
/// The schedule of one graph (the main graph or a control-flow body): steps in topological order, and the
/// frame slots of the graph's inputs and outputs. Every graph of a model shares one slot numbering.
/// </summary>
sealed class ExecutionPlan(PlanStep[] steps, int[] inputSlots, int[] outputSlots, int[] ownedOutputSlots)
{
    public PlanStep[] Steps { get; } = steps;

    public int[] InputSlots { get; } = inputSlots;

    public int[] OutputSlots { get; } = outputSlots;

    /// <summary>
    /// Output slots this graph computed itself (not constants, not values captured from an enclosing graph),
    /// distinct; the caller releases them once it has taken the results.
    /// </summary>
    public int[] OwnedOutputSlots { get; } = ownedOutputSlots;

    /// <summary>
    /// The main graph's weakly connected components when it has two or more (a parallel-fused model: one per model),
    /// each the <see cref="Steps"/> it holds, in the same order; empty otherwise and for control-flow bodies. No
    /// step of a component reads a value another component computes, and steps release only values of their own
    /// component, so components may run concurrently.
    /// </summary>
    public PlanStep[][] Components { get; init; } = [];

    /// <summary>
    /// The declared type of each graph output (null where not a tensor type or undeclared): what a loop that runs
    /// zero times needs to shape its empty scan outputs.
    /// </summary>
    public TensorType?[] OutputTypes { get; init; } = [];
}
