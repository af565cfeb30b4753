using OnnxFuse.Engine.Planning;
using OnnxFuse.Engine.Tensors;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.ControlFlow;

/// <summary>
/// Loop (opset 1–21): inputs (M, cond, v_initial…), body (iteration_num, cond_in, v…) → (cond_out, v'…, scan…),
/// outputs (v_final…, scan_outputs…). Runs while iteration &lt; M (when M is given) and cond (when cond is given);
/// loop-carried values pass from one iteration's outputs to the next one's inputs without copying, and each scan
/// output is the per-iteration values stacked along a new axis 0. The body runs in the caller's frame, so it reads
/// outer-scope values (and nests other control flow) through their slots, as <see cref="IfKernel"/> does.
/// </summary>
sealed class LoopKernel(ExecutionPlan body) : Kernel
{
    public override void Run(KernelContext context)
    {
        var carriedCount = context.InputCount - 2;
        var scanCount = context.OutputCount - carriedCount;
        if (carriedCount < 0 || scanCount < 0 || body.InputSlots.Length != carriedCount + 2 || body.OutputSlots.Length != 1 + carriedCount + scanCount)
            Throw.ShapeMismatch($"Loop body takes {body.InputSlots.Length} inputs and yields {body.OutputSlots.Length} outputs; "
                + $"the node has {context.InputCount} inputs and {context.OutputCount} outputs");
        var maxTrips = context.OptionalInput(0) is { } m ? ReadTripCount(m) : long.MaxValue;
        var condition = context.OptionalInput(1) is not { } c || ReadCondition(c, "Loop cond");

        var carried = new RuntimeTensor[carriedCount];
        for (var i = 0; i < carriedCount; i++)
        {
            carried[i] = new RuntimeTensor();
            carried[i].BindAlias(context.Input(2 + i), context.Input(2 + i).Dims);
        }
        var scans = new List<RuntimeTensor>[scanCount];
        for (var k = 0; k < scanCount; k++)
            scans[k] = [];

        for (long iteration = 0; iteration < maxTrips && condition; iteration++)
        {
            context.AllocatePlanInput(body, 0, ElementType.Int64, []).Write<long>()[0] = iteration;
            context.AllocatePlanInput(body, 1, ElementType.Bool, []).Write<byte>()[0] = 1;
            for (var i = 0; i < carriedCount; i++)
                context.BindPlanInput(body, 2 + i, carried[i]);
            context.RunPlan(body);

            condition = ReadCondition(context.PlanOutput(body, 0), "Loop body's cond output");
            for (var i = 0; i < carriedCount; i++)
            {
                var next = context.PlanOutput(body, 1 + i);
                carried[i].Release();
                carried[i].BindAlias(next, next.Dims);
            }
            for (var k = 0; k < scanCount; k++)
            {
                var value = context.PlanOutput(body, 1 + carriedCount + k);
                var kept = new RuntimeTensor();
                kept.BindAlias(value, value.Dims);
                scans[k].Add(kept);
            }
            context.ReleasePlanOutputs(body);
            context.ReleasePlanInputs(body);
        }

        for (var i = 0; i < carriedCount; i++)
        {
            context.AliasOutput(i, carried[i], carried[i].Dims);
            carried[i].Release();
        }
        for (var k = 0; k < scanCount; k++)
            Stack(context, carriedCount + k, body.OutputTypes.ElementAtOrDefault(1 + carriedCount + k), scans[k]);
    }

    static long ReadTripCount(RuntimeTensor m)
    {
        if (m.ElementCount != 1)
            Throw.ShapeMismatch($"Loop's trip count M must hold one element, got {m}");
        return m.ElementType == ElementType.Int32 ? m.Read<int>()[0] : m.Read<long>()[0];
    }

    static bool ReadCondition(RuntimeTensor condition, string what)
    {
        if (condition.ElementCount != 1)
            Throw.ShapeMismatch($"{what} must hold one element, got {condition}");
        return condition.Bytes[0] != 0;
    }

    /// <summary>Concatenates one scan output's per-iteration values along a new axis 0, then releases them.</summary>
    static void Stack(KernelContext context, int outputIndex, Ir.Types.TensorType? declared, List<RuntimeTensor> values)
    {
        if (values.Count == 0)
        {
            // Zero iterations: the body's declared element type and static dims shape the empty stack.
            var sliceDims = declared?.Shape?.Select(d => (int)(d.Value ?? 0)).ToArray() ?? [];
            context.Output(outputIndex, declared?.ElementType ?? ElementType.Float, AxisSlices.WithAxis(sliceDims, 0, 0));
            return;
        }
        var first = values[0];
        var output = context.Output(outputIndex, first.ElementType, AxisSlices.WithAxis(first.Dims, 0, values.Count));
        var destination = output.Write<byte>();
        var offset = 0;
        foreach (var value in values)
        {
            if (value.ElementType != first.ElementType || !ShapeMath.SameDims(value.Dims, first.Dims))
                Throw.ShapeMismatch($"Loop scan output {outputIndex} changes from {first} to {value} between iterations");
            value.Bytes.CopyTo(destination[offset..]);
            offset += value.ByteCount;
        }
        foreach (var value in values)
            value.Release();
    }
}
