using OnnxFuse.Engine.Kernels;
using OnnxFuse.Engine.Planning;
using OnnxFuse.Ir.Errors;

namespace OnnxFuse.Engine.Runtime;

/// <summary>Runs a plan's steps in order in one frame, releasing each value after its last reader.</summary>
static class Executor
{
    public static void Run(ExecutionPlan plan, ExecutionFrame frame)
    {
        var steps = plan.Steps;
        var slots = frame.Slots;
        var pool = frame.Pool;
        for (var s = 0; s < steps.Length; s++)
        {
            var step = steps[s];
            try
            {
                step.Kernel.Run(new KernelContext(frame, step));
            }
            catch (Exception e) when (e is not OnnxFuseException || e is ShapeMismatchException)
            {
                throw Wrap(step, e);
            }
            foreach (var slot in step.ReleaseSlots)
                slots[slot].Release(pool);
            foreach (var scratch in frame.Scratch)
                if (scratch.IsBound)
                    scratch.Release(pool);
        }
    }

    static OnnxFuseException Wrap(PlanStep step, Exception error)
    {
        if (error.Message.StartsWith("node ", StringComparison.Ordinal))
            return error as OnnxFuseException ?? new OnnxFuseException(error.Message, error);
        var message = $"node {step.NodeDescription}: {error.Message}";
        return error is ShapeMismatchException ? new ShapeMismatchException(message, error) : new OnnxFuseException(message, error);
    }
}
