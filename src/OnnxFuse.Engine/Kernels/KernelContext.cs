using OnnxFuse.Engine.Planning;
using OnnxFuse.Engine.Runtime;
using OnnxFuse.Engine.Tensors;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels;

/// <summary>
/// What a running kernel sees of the frame: its input tensors and a way to allocate or alias its outputs.
/// A small struct passed by value, so nested plans (If branches) can run without disturbing the caller's. Outputs
/// come from the lane (the thread's pool) the step runs on.
/// </summary>
readonly struct KernelContext(ExecutionFrame frame, ExecutionLane lane, PlanStep step)
{
    public int InputCount => step.InputSlots.Length;

    public int OutputCount => step.OutputSlots.Length;

    public int ThreadCount => frame.ThreadCount;

    public RuntimeTensor Input(int index)
    {
        var slot = index < step.InputSlots.Length ? step.InputSlots[index] : -1;
        if (slot < 0)
            Throw.ShapeMismatch($"node {step.NodeDescription} needs input {index}");
        return frame.Slots[slot];
    }

    public RuntimeTensor? OptionalInput(int index)
    {
        var slot = index < step.InputSlots.Length ? step.InputSlots[index] : -1;
        return slot < 0 ? null : frame.Slots[slot];
    }

    /// <summary>Output <paramref name="index"/> as the step left it, or null when the node omits it.</summary>
    public RuntimeTensor? WrittenOutput(int index) => HasOutput(index) ? frame.Slots[step.OutputSlots[index]] : null;

    public bool HasOutput(int index) => index < step.OutputSlots.Length && step.OutputSlots[index] >= 0;

    /// <summary>Allocates output <paramref name="index"/> from the pool; an omitted output gets scratch space released after the step.</summary>
    public RuntimeTensor Output(int index, ElementType elementType, ReadOnlySpan<int> dims)
    {
        var tensor = OutputSlot(index);
        tensor.Allocate(elementType, dims, lane.Pool);
        return tensor;
    }

    /// <summary>Makes output <paramref name="index"/> share <paramref name="source"/>'s contents (no copy).</summary>
    public void AliasOutput(int index, RuntimeTensor source, ReadOnlySpan<int> dims)
    {
        if (HasOutput(index))
            frame.Slots[step.OutputSlots[index]].BindAlias(source, dims);
    }

    /// <summary>Runs a nested plan (a control-flow body) in this frame, on this step's lane.</summary>
    public void RunPlan(ExecutionPlan plan) => Executor.RunSteps(plan.Steps, frame, lane);

    /// <summary>The tensor in one of <paramref name="plan"/>'s output slots, after <see cref="RunPlan"/>.</summary>
    public RuntimeTensor PlanOutput(ExecutionPlan plan, int index) => frame.Slots[plan.OutputSlots[index]];

    /// <summary>Releases a nested plan's own output slots once the caller has aliased them.</summary>
    public void ReleasePlanOutputs(ExecutionPlan plan)
    {
        foreach (var slot in plan.OwnedOutputSlots)
            frame.Slots[slot].Release();
    }

    /// <summary>Makes a nested plan's input <paramref name="index"/> share <paramref name="source"/>'s contents (no copy).</summary>
    public void BindPlanInput(ExecutionPlan plan, int index, RuntimeTensor source)
    {
        var input = frame.Slots[plan.InputSlots[index]];
        input.Release();
        input.BindAlias(source, source.Dims);
    }

    /// <summary>Allocates a nested plan's input <paramref name="index"/> from this step's pool, for the caller to fill.</summary>
    public RuntimeTensor AllocatePlanInput(ExecutionPlan plan, int index, ElementType elementType, ReadOnlySpan<int> dims)
    {
        var input = frame.Slots[plan.InputSlots[index]];
        input.Release();
        input.Allocate(elementType, dims, lane.Pool);
        return input;
    }

    /// <summary>Unbinds a nested plan's inputs that its steps did not release (inputs it never reads, or passes straight out).</summary>
    public void ReleasePlanInputs(ExecutionPlan plan)
    {
        foreach (var slot in plan.InputSlots)
            frame.Slots[slot].Release();
    }

    /// <summary>Binds <paramref name="tensor"/>, a kernel's own working tensor outside the frame, to a buffer from this step's pool.</summary>
    public void AllocateWorking(RuntimeTensor tensor, ElementType elementType, ReadOnlySpan<int> dims)
    {
        tensor.Release();
        tensor.Allocate(elementType, dims, lane.Pool);
    }

    RuntimeTensor OutputSlot(int index)
    {
        if (HasOutput(index))
            return frame.Slots[step.OutputSlots[index]];
        var scratch = lane.Scratch[index % lane.Scratch.Length];
        scratch.Release();
        return scratch;
    }
}
