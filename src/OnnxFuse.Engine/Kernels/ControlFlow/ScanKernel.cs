using OnnxFuse.Engine.Planning;
using OnnxFuse.Engine.Tensors;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.ControlFlow;

/// <summary>
/// Scan: body (state…, scan_slice…) → (state'…, scan_out…), run once per slice of the scan inputs. Opset 9+: inputs
/// (state…, scan_input…) are sliced along scan_input_axes (reversed where scan_input_directions is 1) and the
/// per-iteration outputs stacked along scan_output_axes (reversed where scan_output_directions is 1). Opset 8: inputs
/// (sequence_lens?, state…, scan_input…) carry a batch axis 0 that the body never sees, scan axis 1, one sequence
/// per batch entry of its own length (sequence_lens, default the full axis); stacked outputs are zero past each
/// entry's length. State passes between iterations without copying; the body reads outer values as in <see cref="IfKernel"/>.
/// </summary>
sealed class ScanKernel(ExecutionPlan body, int scanInputCount, ScanKernel.Axes axes, bool batched) : Kernel
{
    /// <summary>Per scan input and per scan output: axis (possibly negative) and whether it runs in reverse.</summary>
    public sealed record Axes(long[] InputAxes, bool[] InputReverse, long[] OutputAxes, bool[] OutputReverse);

    public static ScanKernel Create(KernelCreateInfo info)
    {
        var body = info.Subplans["body"];
        var scanInputCount = (int)info.GetInt("num_scan_inputs", 0);
        var batched = info.Opset < 9;
        var stateCount = info.InputCount - (batched ? 1 : 0) - scanInputCount;
        var scanOutputCount = info.OutputCount - stateCount;
        if (scanInputCount < 1 || stateCount < 0 || scanOutputCount < 0)
            throw info.Unsupported($"Scan with {scanInputCount} scan inputs of {info.InputCount} inputs and {info.OutputCount} outputs");
        var inputReverse = info.GetInts(batched ? "directions" : "scan_input_directions");
        var outputReverse = info.GetInts("scan_output_directions");
        var axes = new Axes(
            batched ? new long[scanInputCount] : info.GetInts("scan_input_axes") ?? new long[scanInputCount],
            [.. (inputReverse ?? new long[scanInputCount]).Select(d => d != 0)],
            batched ? new long[scanOutputCount] : info.GetInts("scan_output_axes") ?? new long[scanOutputCount],
            [.. (outputReverse ?? new long[scanOutputCount]).Select(d => d != 0)]);
        if (axes.InputAxes.Length != scanInputCount || axes.InputReverse.Length != scanInputCount
            || axes.OutputAxes.Length != scanOutputCount || axes.OutputReverse.Length != scanOutputCount)
            throw info.Unsupported("Scan axes or directions whose count differs from its scan inputs or outputs");
        return new ScanKernel(body, scanInputCount, axes, batched);
    }

    public override void Run(KernelContext context)
    {
        var first = batched ? 1 : 0;
        var stateCount = context.InputCount - first - scanInputCount;
        var scanOutputCount = context.OutputCount - stateCount;
        if (body.InputSlots.Length != stateCount + scanInputCount || body.OutputSlots.Length != stateCount + scanOutputCount)
            Throw.ShapeMismatch($"Scan body takes {body.InputSlots.Length} inputs and yields {body.OutputSlots.Length} outputs; "
                + $"the node has {stateCount} states, {scanInputCount} scan inputs and {scanOutputCount} scan outputs");
        var states = new RuntimeTensor[stateCount];
        var scanInputs = new RuntimeTensor[scanInputCount];
        for (var i = 0; i < stateCount; i++)
            states[i] = context.Input(first + i);
        for (var j = 0; j < scanInputCount; j++)
            scanInputs[j] = context.Input(first + stateCount + j);
        if (batched)
            RunBatched(context, states, scanInputs, scanOutputCount);
        else
            RunUnbatched(context, states, scanInputs, scanOutputCount);
    }

    void RunUnbatched(KernelContext context, RuntimeTensor[] initialStates, RuntimeTensor[] scanInputs, int scanOutputCount)
    {
        var inputAxes = new int[scanInputs.Length];
        for (var j = 0; j < scanInputs.Length; j++)
            inputAxes[j] = ShapeMath.NormalizeAxis(axes.InputAxes[j], scanInputs[j].Rank);
        var length = SequenceLength(scanInputs, inputAxes);
        var states = Aliases(initialStates);
        var results = NewTensors(scanOutputCount);
        RunSequence(context, states, scanInputs, inputAxes, length, results);
        for (var i = 0; i < states.Length; i++)
        {
            context.AliasOutput(i, states[i], states[i].Dims);
            states[i].Release();
        }
        for (var k = 0; k < results.Length; k++)
        {
            context.AliasOutput(states.Length + k, results[k], results[k].Dims);
            results[k].Release();
        }
    }

    void RunBatched(KernelContext context, RuntimeTensor[] initialStates, RuntimeTensor[] scanInputs, int scanOutputCount)
    {
        var scanAxes = new int[scanInputs.Length];
        var sliceAxes = new int[scanInputs.Length];
        var length = SequenceLength(scanInputs, [.. scanAxes.Select(_ => 1)]);
        var batchCount = scanInputs[0].Dim(0);
        foreach (var tensor in initialStates.Concat(scanInputs))
            if (tensor.Rank < 1 || tensor.Dim(0) != batchCount)
                Throw.ShapeMismatch($"Scan (opset 8) inputs must share batch axis 0 of {batchCount}, got {tensor}");
        var lengths = context.OptionalInput(0) is { } sequenceLengths ? ReadLengths(sequenceLengths, batchCount, length) : null;

        var batchStates = NewTensors(initialStates.Length);
        var batchInputs = NewTensors(scanInputs.Length);
        var results = NewTensors(scanOutputCount);
        for (var b = 0; b < batchCount; b++)
        {
            for (var i = 0; i < initialStates.Length; i++)
                ExtractBatch(context, initialStates[i], b, batchStates[i]);
            for (var j = 0; j < scanInputs.Length; j++)
                ExtractBatch(context, scanInputs[j], b, batchInputs[j]);
            RunSequence(context, batchStates, batchInputs, sliceAxes, lengths?[b] ?? length, results);
            for (var i = 0; i < batchStates.Length; i++)
            {
                var state = batchStates[i];
                var output = b == 0 ? context.Output(i, state.ElementType, AxisSlices.WithAxis(state.Dims, 0, batchCount)) : context.WrittenOutput(i)!;
                AxisSlices.Place(state.Bytes, output.Dims, 0, b, state.ElementSize, output.Write<byte>());
            }
            for (var k = 0; k < results.Length; k++)
            {
                // Each entry's stack is [its length, …]: a prefix of the [length, …] row, the rest left zero.
                var result = results[k];
                var outputIndex = initialStates.Length + k;
                if (b == 0)
                {
                    var dims = AxisSlices.WithAxis(AxisSlices.WithAxis(result.Dims[1..], 0, length), 0, batchCount);
                    context.Output(outputIndex, result.ElementType, dims).Write<byte>().Clear();
                }
                var stacked = context.WrittenOutput(outputIndex)!;
                var rowBytes = stacked.ByteCount / batchCount;
                result.Bytes.CopyTo(stacked.Write<byte>().Slice(b * rowBytes, rowBytes));
            }
        }
        foreach (var tensor in batchStates.Concat(batchInputs).Concat(results))
            tensor.Release();
    }

    /// <summary>
    /// Runs the body over <paramref name="length"/> slices of <paramref name="scanInputs"/>. <paramref name="states"/>
    /// hold the initial states and end holding the final ones; <paramref name="results"/> end bound to the stacked scan outputs.
    /// </summary>
    void RunSequence(KernelContext context, RuntimeTensor[] states, RuntimeTensor[] scanInputs, int[] inputAxes, int length, RuntimeTensor[] results)
    {
        var stateCount = states.Length;
        var outputAxes = new int[results.Length];
        for (var k = 0; k < results.Length; k++)
        {
            results[k].Release();
            if (length == 0)
                AllocateEmpty(context, k, results[k]);
        }
        for (var t = 0; t < length; t++)
        {
            for (var i = 0; i < stateCount; i++)
                context.BindPlanInput(body, i, states[i]);
            for (var j = 0; j < scanInputs.Length; j++)
            {
                var input = scanInputs[j];
                var sliceDims = AxisSlices.WithoutAxis(input.Dims, inputAxes[j]);
                var slice = context.AllocatePlanInput(body, stateCount + j, input.ElementType, sliceDims);
                var index = axes.InputReverse[j] ? length - 1 - t : t;
                AxisSlices.Extract(input.Bytes, input.Dims, inputAxes[j], index, input.ElementSize, slice.Write<byte>());
            }
            context.RunPlan(body);

            for (var i = 0; i < stateCount; i++)
            {
                var next = context.PlanOutput(body, i);
                states[i].Release();
                states[i].BindAlias(next, next.Dims);
            }
            for (var k = 0; k < results.Length; k++)
            {
                var value = context.PlanOutput(body, stateCount + k);
                if (t == 0)
                {
                    outputAxes[k] = ShapeMath.NormalizeAxis(axes.OutputAxes[k], value.Rank + 1);
                    context.AllocateWorking(results[k], value.ElementType, AxisSlices.WithAxis(value.Dims, outputAxes[k], length));
                }
                else if (value.ElementType != results[k].ElementType
                    || !ShapeMath.SameDims(value.Dims, AxisSlices.WithoutAxis(results[k].Dims, outputAxes[k])))
                    Throw.ShapeMismatch($"Scan output {k} changes to {value} between iterations (stacked as {results[k]})");
                var index = axes.OutputReverse[k] ? length - 1 - t : t;
                AxisSlices.Place(value.Bytes, results[k].Dims, outputAxes[k], index, value.ElementSize, results[k].Write<byte>());
            }
            context.ReleasePlanOutputs(body);
            context.ReleasePlanInputs(body);
        }
    }

    /// <summary>A scan over zero slices: the body's declared element type and static dims shape the empty stack.</summary>
    void AllocateEmpty(KernelContext context, int scanOutput, RuntimeTensor result)
    {
        var declared = body.OutputTypes.ElementAtOrDefault(body.OutputSlots.Length - axes.OutputAxes.Length + scanOutput);
        var sliceDims = declared?.Shape?.Select(d => (int)(d.Value ?? 0)).ToArray() ?? [];
        var axis = ShapeMath.NormalizeAxis(axes.OutputAxes[scanOutput], sliceDims.Length + 1);
        context.AllocateWorking(result, declared?.ElementType ?? ElementType.Float, AxisSlices.WithAxis(sliceDims, axis, 0));
    }

    static int SequenceLength(RuntimeTensor[] scanInputs, int[] axes)
    {
        var length = -1;
        for (var j = 0; j < scanInputs.Length; j++)
        {
            if (axes[j] >= scanInputs[j].Rank)
                Throw.ShapeMismatch($"Scan input {j} {scanInputs[j]} has no axis {axes[j]}");
            var axisLength = scanInputs[j].Dim(axes[j]);
            if (length >= 0 && axisLength != length)
                Throw.ShapeMismatch($"Scan inputs disagree on the sequence length: {length} and {axisLength} (input {j}, {scanInputs[j]})");
            length = axisLength;
        }
        return length;
    }

    static int[] ReadLengths(RuntimeTensor sequenceLengths, int batchCount, int maxLength)
    {
        if (sequenceLengths.ElementCount != batchCount)
            Throw.ShapeMismatch($"Scan sequence_lens {sequenceLengths} must hold one length per batch entry ({batchCount})");
        var lengths = new int[batchCount];
        for (var b = 0; b < batchCount; b++)
        {
            var value = sequenceLengths.ElementType == ElementType.Int32 ? sequenceLengths.Read<int>()[b] : sequenceLengths.Read<long>()[b];
            if (value < 0 || value > maxLength)
                Throw.ShapeMismatch($"Scan sequence_lens[{b}] = {value} is outside [0, {maxLength}]");
            lengths[b] = (int)value;
        }
        return lengths;
    }

    static void ExtractBatch(KernelContext context, RuntimeTensor source, int batch, RuntimeTensor destination)
    {
        context.AllocateWorking(destination, source.ElementType, source.Dims[1..]);
        AxisSlices.Extract(source.Bytes, source.Dims, 0, batch, source.ElementSize, destination.Write<byte>());
    }

    static RuntimeTensor[] Aliases(RuntimeTensor[] sources)
    {
        var aliases = NewTensors(sources.Length);
        for (var i = 0; i < sources.Length; i++)
            aliases[i].BindAlias(sources[i], sources[i].Dims);
        return aliases;
    }

    static RuntimeTensor[] NewTensors(int count)
    {
        var tensors = new RuntimeTensor[count];
        for (var i = 0; i < count; i++)
            tensors[i] = new RuntimeTensor();
        return tensors;
    }
}
