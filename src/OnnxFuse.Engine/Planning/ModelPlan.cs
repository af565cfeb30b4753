using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Planning;

/// <summary>A whole model's plan: the main graph's schedule, the slot count, and the constants bound into every frame.</summary>
sealed class ModelPlan(ExecutionPlan main, int slotCount, (int Slot, TensorData Data)[] constants)
{
    public ExecutionPlan Main { get; } = main;

    public int SlotCount { get; } = slotCount;

    /// <summary>Initializers and Constant-node outputs, bound as read-only views (never copied).</summary>
    public (int Slot, TensorData Data)[] Constants { get; } = constants;
}
