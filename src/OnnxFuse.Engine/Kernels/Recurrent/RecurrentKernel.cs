using System.Buffers;
using OnnxFuse.Engine.Kernels.Gemm;
using OnnxFuse.Engine.Simd;
using OnnxFuse.Engine.Tensors;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.Recurrent;

/// <summary>
/// The loop RNN, GRU and LSTM share (float32). Inputs: X [seq, batch, input], W [dirs, gates·hidden, input],
/// R [dirs, gates·hidden, hidden], optional B [dirs, 2·gates·hidden] (Wb then Rb), sequence_lens (int32 [batch]) and
/// initial_h [dirs, batch, hidden]; LSTM adds initial_c (input 6, shaped as initial_h) and P (input 7, [dirs, 3·hidden]).
/// Outputs, each optional: Y [seq, dirs, batch, hidden], Y_h and LSTM's Y_c [dirs, batch, hidden]. With <c>layout</c> = 1
/// X, Y and the states put the batch first (see <see cref="RecurrentShape"/>).
/// <para>
/// Per direction, the input projection of every step, X·W[d]ᵀ + bias, is one GEMM; each step then adds H·R[d]ᵀ with one
/// GEMM over the whole batch and runs the cell's element-wise gates (<see cref="Step"/>). A reverse direction reads each
/// sequence backwards from its own last valid step, so X is first gathered into step order (as is a batch-major X).
/// Y is zero past a sequence's length; Y_h and Y_c hold each sequence's last valid step.
/// </para>
/// </summary>
abstract class RecurrentKernel : Kernel
{
    readonly string _opType;
    readonly int _gateCount;
    readonly int[] _recurrenceBlocks;
    readonly bool _hasCellState;
    readonly PackedMatrix[]? _packedInput;
    readonly PackedMatrix[][]? _packedRecurrence;

    /// <param name="opType">For messages.</param>
    /// <param name="options">The shared attributes.</param>
    /// <param name="gateCount">Gates per direction: 1 (RNN), 3 (GRU), 4 (LSTM).</param>
    /// <param name="recurrenceBlocks">Gates per column block of R in <see cref="RecurrentStep.Recurrence"/>.</param>
    /// <param name="hasCellState">LSTM: reads initial_c and P, writes Y_c.</param>
    /// <param name="constantW">W when constant at plan time: packed once.</param>
    /// <param name="constantR">R when constant at plan time: packed once (otherwise once per run).</param>
    protected RecurrentKernel(string opType, RecurrentOptions options, int gateCount, int[] recurrenceBlocks, bool hasCellState,
        TensorData? constantW, TensorData? constantR)
    {
        _opType = opType;
        Options = options;
        _gateCount = gateCount;
        _recurrenceBlocks = recurrenceBlocks;
        _hasCellState = hasCellState;
        var directions = options.DirectionCount;
        if (constantW is { ElementType: ElementType.Float, Rank: 3 } w && w.Dims[0] == directions && w.Dims[1] % gateCount == 0)
            _packedInput = RecurrentWeights.PackInput(w.AsSpan<float>(), directions, (int)w.Dims[1], (int)w.Dims[2]);
        if (constantR is { ElementType: ElementType.Float, Rank: 3 } r && r.Dims[0] == directions && r.Dims[1] == gateCount * r.Dims[2])
            _packedRecurrence = RecurrentWeights.PackRecurrence(r.AsSpan<float>(), directions, (int)r.Dims[2], recurrenceBlocks);
    }

    protected RecurrentOptions Options { get; }

    /// <summary>Adds this step's recurrence to <see cref="RecurrentStep.Gates"/> and updates the state of the active rows.</summary>
    protected abstract void Step(in RecurrentStep step);

    /// <summary>The bias folded into the input projection: Wb + Rb, unless the cell needs Rb inside the recurrence.</summary>
    protected virtual void ProjectionBias(ReadOnlySpan<float> inputBias, ReadOnlySpan<float> recurrenceBias, Span<float> destination) =>
        System.Numerics.Tensors.TensorPrimitives.Add(inputBias, recurrenceBias, destination);

    /// <summary>Clips <paramref name="values"/> to [−clip, clip] when the node has <c>clip</c>, then applies the activation in place.</summary>
    protected void Activate(in RecurrentActivation activation, Span<float> values)
    {
        if (Options.HasClip)
            UnaryDriver.Run(values, new ClipOp(-Options.Clip, Options.Clip), values);
        activation.Apply(values, values);
    }

    public override void Run(KernelContext context)
    {
        var x = context.Input(0);
        var w = context.Input(1);
        var r = context.Input(2);
        var shape = CheckShape(x, w, r);
        var bias = CheckOptional(context.OptionalInput(3), "B", [shape.DirectionCount, 2 * shape.GateWidth]);
        var initialHidden = CheckState(context.OptionalInput(5), "initial_h", shape);
        var initialCell = _hasCellState ? CheckState(context.OptionalInput(6), "initial_c", shape) : null;
        var peepholes = _hasCellState ? CheckOptional(context.OptionalInput(7), "P", [shape.DirectionCount, 3 * shape.HiddenSize]) : null;

        var (batch, hidden, gateWidth) = (shape.BatchSize, shape.HiddenSize, shape.GateWidth);
        var lengthArray = ArrayPool<int>.Shared.Rent(batch);
        var lengths = lengthArray.AsSpan(0, batch);
        var stepCount = ReadLengths(context.OptionalInput(4), shape, lengths);

        Span<int> dims = stackalloc int[4];
        shape.OutputDims(dims);
        var y = context.HasOutput(0) ? context.Output(0, ElementType.Float, dims).Write<float>() : default;
        y.Clear();
        shape.StateDims(dims);
        var finalHidden = context.HasOutput(1) ? context.Output(1, ElementType.Float, dims[..3]).Write<float>() : default;
        var finalCell = _hasCellState && context.HasOutput(2) ? context.Output(2, ElementType.Float, dims[..3]).Write<float>() : default;

        var rows = stepCount * batch;
        var packedRecurrence = _packedRecurrence ?? RecurrentWeights.PackRecurrence(r.Read<float>(), shape.DirectionCount, hidden, _recurrenceBlocks);
        // Only a forward, sequence-major X is already in step order.
        var ordered = Options.Direction != RecurrentDirection.Forward || shape.BatchMajor
            ? ArrayPool<float>.Shared.Rent(Math.Max(1, rows * shape.InputSize))
            : [];
        var gates = ArrayPool<float>.Shared.Rent(Math.Max(1, rows * gateWidth));
        var biases = ArrayPool<float>.Shared.Rent(3 * gateWidth);
        var states = ArrayPool<float>.Shared.Rent(2 * batch * hidden + batch * gateWidth);
        try
        {
            for (var d = 0; d < shape.DirectionCount; d++)
            {
                var reverse = Options.IsReverse(d);
                var projectionBias = biases.AsSpan(0, gateWidth);
                var recurrenceBias = biases.AsSpan(gateWidth, gateWidth);
                if (bias is null)
                {
                    biases.AsSpan(0, 2 * gateWidth).Clear();
                }
                else
                {
                    var all = bias.Read<float>().Slice(d * 2 * gateWidth, 2 * gateWidth);
                    all[gateWidth..].CopyTo(recurrenceBias);
                    ProjectionBias(all[..gateWidth], recurrenceBias, projectionBias);
                }

                var input = x.Read<float>();
                if (reverse || shape.BatchMajor)
                {
                    GatherSteps(input, shape, lengths, stepCount, reverse, ordered);
                    input = ordered;
                }
                var wSize = gateWidth * shape.InputSize;
                RecurrentWeights.Project(input[..(rows * shape.InputSize)], _packedInput?[d], w.Read<float>().Slice(d * wSize, wSize), projectionBias,
                    rows, gateWidth, shape.InputSize, context.ThreadCount, gates);

                var hiddenState = states.AsSpan(0, batch * hidden);
                var cellState = _hasCellState ? states.AsSpan(batch * hidden, batch * hidden) : default;
                var scratch = states.AsSpan(2 * batch * hidden, batch * gateWidth);
                LoadState(initialHidden, shape, d, hiddenState);
                if (_hasCellState)
                    LoadState(initialCell, shape, d, cellState);

                var activations = Options.ActivationsOf(d);
                var peepholeRow = peepholes is null ? default : peepholes.Read<float>().Slice(d * 3 * hidden, 3 * hidden);
                for (var s = 0; s < stepCount; s++)
                {
                    Step(new RecurrentStep
                    {
                        Shape = shape,
                        Index = s,
                        Gates = gates.AsSpan(s * batch * gateWidth, batch * gateWidth),
                        Hidden = hiddenState,
                        Cell = cellState,
                        Scratch = scratch,
                        Lengths = lengths,
                        Recurrence = packedRecurrence[d],
                        RecurrenceBias = recurrenceBias,
                        Peepholes = peepholeRow,
                        Activations = activations,
                        ThreadCount = context.ThreadCount,
                    });
                    if (!y.IsEmpty)
                        WriteStep(hiddenState, shape, lengths, s, d, reverse, y);
                }
                StoreState(hiddenState, shape, d, finalHidden);
                StoreState(cellState, shape, d, finalCell);
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(lengthArray);
            if (ordered.Length > 0)
                ArrayPool<float>.Shared.Return(ordered);
            ArrayPool<float>.Shared.Return(gates);
            ArrayPool<float>.Shared.Return(biases);
            ArrayPool<float>.Shared.Return(states);
        }
    }

    /// <summary>
    /// ordered[s, b] = X[t, b] with t = s forward and t = length_b − 1 − s in reverse (each sequence read back from its
    /// own end); rows past a sequence's length are zeroed, their results are never read.
    /// </summary>
    static void GatherSteps(ReadOnlySpan<float> x, RecurrentShape shape, ReadOnlySpan<int> lengths, int stepCount, bool reverse, Span<float> ordered)
    {
        var inputSize = shape.InputSize;
        for (var s = 0; s < stepCount; s++)
        {
            for (var b = 0; b < shape.BatchSize; b++)
            {
                var target = ordered.Slice((s * shape.BatchSize + b) * inputSize, inputSize);
                if (s >= lengths[b])
                    target.Clear();
                else
                    x.Slice(shape.InputOffset(reverse ? lengths[b] - 1 - s : s, b), inputSize).CopyTo(target);
            }
        }
    }

    static void WriteStep(ReadOnlySpan<float> hiddenState, RecurrentShape shape, ReadOnlySpan<int> lengths, int step, int direction, bool reverse,
        Span<float> y)
    {
        var hidden = shape.HiddenSize;
        for (var b = 0; b < shape.BatchSize; b++)
        {
            if (step >= lengths[b])
                continue;
            var time = reverse ? lengths[b] - 1 - step : step;
            hiddenState.Slice(b * hidden, hidden).CopyTo(y.Slice(shape.OutputOffset(time, direction, b), hidden));
        }
    }

    static void LoadState(RuntimeTensor? initial, RecurrentShape shape, int direction, Span<float> state)
    {
        if (initial is null)
        {
            state.Clear();
            return;
        }
        var source = initial.Read<float>();
        for (var b = 0; b < shape.BatchSize; b++)
            source.Slice(shape.StateOffset(direction, b), shape.HiddenSize).CopyTo(state.Slice(b * shape.HiddenSize, shape.HiddenSize));
    }

    static void StoreState(ReadOnlySpan<float> state, RecurrentShape shape, int direction, Span<float> destination)
    {
        if (destination.IsEmpty)
            return;
        for (var b = 0; b < shape.BatchSize; b++)
            state.Slice(b * shape.HiddenSize, shape.HiddenSize).CopyTo(destination.Slice(shape.StateOffset(direction, b), shape.HiddenSize));
    }

    /// <summary>Reads sequence_lens (all steps when omitted) and returns the longest length: the steps to run.</summary>
    int ReadLengths(RuntimeTensor? sequenceLengths, RecurrentShape shape, Span<int> lengths)
    {
        if (sequenceLengths is null)
        {
            lengths.Fill(shape.SequenceLength);
            return shape.SequenceLength;
        }
        if (sequenceLengths.Rank != 1 || sequenceLengths.Dim(0) != shape.BatchSize)
            Throw.ShapeMismatch($"{_opType} sequence_lens is {sequenceLengths}; expected [{shape.BatchSize}] (one length per batch entry)");
        var longest = 0;
        for (var b = 0; b < lengths.Length; b++)
        {
            var length = sequenceLengths.ElementType switch
            {
                ElementType.Int32 => sequenceLengths.Read<int>()[b],
                ElementType.Int64 => sequenceLengths.Read<long>()[b],
                _ => Throw.ShapeMismatch<long>($"{_opType} sequence_lens must be int32, got {sequenceLengths}"),
            };
            if (length < 0 || length > shape.SequenceLength)
                Throw.ShapeMismatch($"{_opType} sequence_lens[{b}] = {length} is outside [0, {shape.SequenceLength}]");
            lengths[b] = (int)length;
            longest = Math.Max(longest, (int)length);
        }
        return longest;
    }

    RecurrentShape CheckShape(RuntimeTensor x, RuntimeTensor w, RuntimeTensor r)
    {
        CheckFloat3D(x, "X");
        CheckFloat3D(w, "W");
        CheckFloat3D(r, "R");
        var batchMajor = Options.BatchMajor;
        var hidden = r.Dim(2);
        if (Options.HiddenSize is { } attribute && attribute != hidden)
            Throw.ShapeMismatch($"{_opType} hidden_size = {attribute} but R is {r}");
        var shape = new RecurrentShape(batchMajor ? x.Dim(1) : x.Dim(0), batchMajor ? x.Dim(0) : x.Dim(1), x.Dim(2), hidden,
            Options.DirectionCount, _gateCount, batchMajor);
        CheckDims(w, "W", [shape.DirectionCount, shape.GateWidth, shape.InputSize]);
        CheckDims(r, "R", [shape.DirectionCount, shape.GateWidth, hidden]);
        return shape;
    }

    void CheckFloat3D(RuntimeTensor tensor, string name)
    {
        if (tensor.ElementType != ElementType.Float || tensor.Rank != 3)
            Throw.ShapeMismatch($"{_opType} input {name} must be a 3-D float32 tensor, got {tensor}");
    }

    RuntimeTensor? CheckState(RuntimeTensor? state, string name, RecurrentShape shape)
    {
        Span<int> dims = stackalloc int[3];
        shape.StateDims(dims);
        return CheckOptional(state, name, dims);
    }

    RuntimeTensor? CheckOptional(RuntimeTensor? tensor, string name, ReadOnlySpan<int> dims)
    {
        if (tensor is not null)
            CheckDims(tensor, name, dims);
        return tensor;
    }

    void CheckDims(RuntimeTensor tensor, string name, ReadOnlySpan<int> dims)
    {
        if (tensor.ElementType != ElementType.Float || !tensor.Dims.SequenceEqual(dims))
            Throw.ShapeMismatch($"{_opType} input {name} is {tensor}; expected float32[{string.Join(',', dims.ToArray())}]");
    }
}
