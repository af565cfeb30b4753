using OnnxFuse.Engine.Kernels.Threading;
using OnnxFuse.Engine.Planning;
using OnnxFuse.Engine.Tensors;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Runtime;

/// <summary>
/// The mutable state of one run: a tensor per value slot (constants pre-bound as views) and the lanes that allocate
/// intermediate buffers: one, or one per thread when the main graph's independent components run concurrently.
/// A session reuses frames across runs; one frame serves one run at a time.
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
        // Components run concurrently only when there are at least as many as threads: each thread then has whole
        // components to run, whereas with spare threads the sequential plan lets large kernels use them all (inside a
        // component, kernels find the pool busy and run on one thread).
        var components = plan.Main.Components;
        var laneCount = components.Length < ThreadCount ? 1 : KernelThreadPool.UsableThreads(ThreadCount);
        Lanes = new ExecutionLane[laneCount];
        for (var i = 0; i < laneCount; i++)
            Lanes[i] = new ExecutionLane();
        Components = laneCount > 1 ? new ConcurrentComponents(this, components) : null;
    }

    public RuntimeTensor[] Slots { get; }

    public bool[] IsConstant { get; }

    /// <summary>Lane 0 serves the caller's thread and every sequential run; the others exist only for concurrent components.</summary>
    public ExecutionLane[] Lanes { get; }

    /// <summary>Runs the main graph's independent components on several lanes; null when the frame has one lane.</summary>
    public ConcurrentComponents? Components { get; }

    public int ThreadCount { get; }

    /// <summary>The most pooled bytes held at once, summed over lanes (an upper bound when lanes peak at different moments).</summary>
    public long PeakBytes
    {
        get
        {
            var total = 0L;
            foreach (var lane in Lanes)
                total += lane.Pool.PeakBytes;
            return total;
        }
    }

    /// <summary>Unbinds every non-constant slot (after a failed run) so the next run starts clean.</summary>
    public void ReleaseAll()
    {
        for (var i = 0; i < Slots.Length; i++)
            if (!IsConstant[i] && Slots[i].IsBound)
                Slots[i].Release();
        foreach (var lane in Lanes)
            lane.ReleaseScratch();
    }

    public static void BindInput(RuntimeTensor slot, TensorData data)
    {
        Span<int> dims = stackalloc int[data.Rank];
        for (var d = 0; d < dims.Length; d++)
            dims[d] = checked((int)data.Dims[d]);
        slot.BindView(data.ElementType, dims, data.Bytes);
    }
}
