using OnnxFuse.Engine.Planning;
using OnnxFuse.Engine.Tensors;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Runtime;

/// <summary>
/// The mutable state of one run: a tensor per value slot (constants pre-bound as views), the buffer pool, and
/// scratch tensors for omitted optional outputs. A session reuses frames across runs; one frame serves one run at a time.
/// </summary>
sealed class ExecutionFrame
{
    public ExecutionFrame(ModelPlan plan, int threadCount)
    {
        Slots = new RuntimeTensor[plan.SlotCount];
        for (var i = 0; i < Slots.Length; i++)
            Slots[i] = new RuntimeTensor();
        IsConstant = new bool[plan.SlotCount];
        foreach (var (slot, data) in plan.Constants)
        {
            var dims = new int[data.Rank];
            for (var d = 0; d < dims.Length; d++)
                dims[d] = checked((int)data.Dims[d]);
            Slots[slot].BindView(data.ElementType, dims, data.Bytes);
            IsConstant[slot] = true;
        }
        ThreadCount = Math.Max(1, threadCount);
    }

    public RuntimeTensor[] Slots { get; }

    public bool[] IsConstant { get; }

    public BufferPool Pool { get; } = new();

    public RuntimeTensor[] Scratch { get; } = [new(), new(), new(), new()];

    public int ThreadCount { get; }

    /// <summary>Unbinds every non-constant slot (after a failed run) so the next run starts clean.</summary>
    public void ReleaseAll()
    {
        for (var i = 0; i < Slots.Length; i++)
            if (!IsConstant[i] && Slots[i].IsBound)
                Slots[i].Release(Pool);
        foreach (var scratch in Scratch)
            scratch.Release(Pool);
    }

    public static void BindInput(RuntimeTensor slot, TensorData data)
    {
        Span<int> dims = stackalloc int[data.Rank];
        for (var d = 0; d < dims.Length; d++)
            dims[d] = checked((int)data.Dims[d]);
        slot.BindView(data.ElementType, dims, data.Bytes);
    }
}
