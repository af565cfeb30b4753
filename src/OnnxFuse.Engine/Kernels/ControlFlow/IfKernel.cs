using OnnxFuse.Engine.Planning;
using OnnxFuse.Ir.Errors;

namespace OnnxFuse.Engine.Kernels.ControlFlow;

/// <summary>
/// If: runs the then- or else-branch plan in the caller's frame (branches read outer values through their slots)
/// and hands the branch's outputs on as the node's outputs without copying. Branches may yield different shapes.
/// </summary>
sealed class IfKernel(ExecutionPlan thenBranch, ExecutionPlan elseBranch) : Kernel
{
    public override void Run(KernelContext context)
    {
        var condition = context.Input(0);
        if (condition.ElementCount != 1)
            Throw.ShapeMismatch($"If condition must hold one element, got {condition}");
        var branch = condition.Bytes[0] != 0 ? thenBranch : elseBranch;
        if (branch.OutputSlots.Length < context.OutputCount)
            Throw.ShapeMismatch($"If branch yields {branch.OutputSlots.Length} outputs, the node declares {context.OutputCount}");
        context.RunPlan(branch);
        for (var i = 0; i < context.OutputCount; i++)
        {
            var result = context.PlanOutput(branch, i);
            context.AliasOutput(i, result, result.Dims);
        }
        context.ReleasePlanOutputs(branch);
    }
}
