using OnnxFuse.Engine.Kernels;
using OnnxFuse.Engine.Planning;
using OnnxFuse.Ir.Errors;

namespace OnnxFuse.Engine.Runtime;

/// <summary>Runs a plan's steps in order in one frame, releasing each value after its last reader.</summary>
static class Executor
{
    /// <summary>Runs the main graph: its independent components concurrently when the frame has lanes for them.</summary>
    public static void RunMain(ExecutionPlan plan, ExecutionFrame frame)
    {
        if (frame.Components is { } components && components.TryRun())
            return;
        RunSteps(plan.Steps, frame, frame.Lanes[0]);
    }

    public static void RunSteps(PlanStep[] steps, ExecutionFrame frame, ExecutionLane lane)
    {
        var slots = frame.Slots;
        for (var s = 0; s < steps.Length; s++)
        {
            var step = steps[s];
            try
            {
                step.Kernel.Run(new KernelContext(frame, lane, step));
            }
            catch (Exception e) when (e is not OnnxFuseException || e is ShapeMismatchException)
            {
                throw Wrap(step, e);
            }
            foreach (var slot in step.ReleaseSlots)
                slots[slot].Release();
            lane.ReleaseScratch();
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
