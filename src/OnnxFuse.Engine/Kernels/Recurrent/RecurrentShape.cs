namespace OnnxFuse.Engine.Kernels.Recurrent;

/// <summary>
/// The sizes of one recurrent run and where a (step, direction, batch row) lives in each tensor, for both layouts:
/// X [seq, batch, input] or batch-major [batch, seq, input]; Y [seq, dirs, batch, hidden] or [batch, seq, dirs, hidden];
/// the states (initial_h, initial_c, Y_h, Y_c) [dirs, batch, hidden] or [batch, dirs, hidden].
/// </summary>
readonly record struct RecurrentShape(int SequenceLength, int BatchSize, int InputSize, int HiddenSize, int DirectionCount,
    int GateCount, bool BatchMajor)
{
    /// <summary>Columns of the gate pre-activations: all gates of one row side by side.</summary>
    public int GateWidth => GateCount * HiddenSize;

    /// <summary>Offset of X's row for time <paramref name="time"/> and batch entry <paramref name="batch"/>.</summary>
    public int InputOffset(int time, int batch) =>
        (BatchMajor ? batch * SequenceLength + time : time * BatchSize + batch) * InputSize;

    /// <summary>Offset of Y's hidden vector for time <paramref name="time"/>, direction and batch entry.</summary>
    public int OutputOffset(int time, int direction, int batch) =>
        (BatchMajor
            ? (batch * SequenceLength + time) * DirectionCount + direction
            : (time * DirectionCount + direction) * BatchSize + batch) * HiddenSize;

    /// <summary>Offset of a state tensor's hidden vector for a direction and batch entry.</summary>
    public int StateOffset(int direction, int batch) =>
        (BatchMajor ? batch * DirectionCount + direction : direction * BatchSize + batch) * HiddenSize;

    /// <summary>Writes Y's four dimensions.</summary>
    public void OutputDims(Span<int> dims)
    {
        (dims[0], dims[1], dims[2], dims[3]) = BatchMajor
            ? (BatchSize, SequenceLength, DirectionCount, HiddenSize)
            : (SequenceLength, DirectionCount, BatchSize, HiddenSize);
    }

    /// <summary>Writes a state tensor's three dimensions.</summary>
    public void StateDims(Span<int> dims)
    {
        (dims[0], dims[1], dims[2]) = BatchMajor ? (BatchSize, DirectionCount, HiddenSize) : (DirectionCount, BatchSize, HiddenSize);
    }
}
