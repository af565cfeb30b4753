using OnnxFuse.Engine.Tensors;

namespace OnnxFuse.Engine.Runtime;

/// <summary>
/// What one thread of a run allocates from: a buffer pool and scratch tensors for omitted optional outputs. A frame
/// has one lane per thread that may run its independent components at once, so no two threads share a pool.
/// </summary>
sealed class ExecutionLane
{
    public BufferPool Pool { get; } = new();

    public RuntimeTensor[] Scratch { get; } = [new(), new(), new(), new()];

    public void ReleaseScratch()
    {
        foreach (var scratch in Scratch)
            if (scratch.IsBound)
                scratch.Release();
    }
}
