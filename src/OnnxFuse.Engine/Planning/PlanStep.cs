using OnnxFuse.Engine.Kernels;

namespace OnnxFuse.Engine.Planning;

/// <summary>
/// One scheduled node: its kernel, the frame slots of its inputs and outputs (-1 where omitted), and the slots
/// whose last reader it is, released right after it runs.
/// </summary>
sealed class PlanStep(Kernel kernel, int[] inputSlots, int[] outputSlots, string nodeDescription)
{
    public Kernel Kernel { get; } = kernel;

    public int[] InputSlots { get; } = inputSlots;

    public int[] OutputSlots { get; } = outputSlots;

    public int[] ReleaseSlots { get; set; } = [];

    /// <summary>"'name' (OpType)", for error messages.</summary>
    public string NodeDescription { get; } = nodeDescription;
}
