using OnnxFuse.Engine.Kernels.Gemm;

namespace OnnxFuse.Engine.Kernels.Recurrent;

/// <summary>
/// What a cell sees of one time step of one direction. <see cref="Gates"/> [batch, gates·hidden] holds this step's input
/// projection (X·Wᵀ plus the bias <see cref="RecurrentKernel"/> folded into it); the cell adds the recurrence and turns
/// the gates into the next state. <see cref="Hidden"/> (and LSTM's <see cref="Cell"/>) [batch, hidden] hold the previous
/// state on entry and must hold the new one on return for every row that <see cref="IsActive"/>; the other rows have
/// passed the end of their sequence and must keep their last state. <see cref="Scratch"/> is [batch, gates·hidden].
/// </summary>
readonly ref struct RecurrentStep
{
    public required RecurrentShape Shape { get; init; }
    public required int Index { get; init; }
    public required Span<float> Gates { get; init; }
    public required Span<float> Hidden { get; init; }
    public required Span<float> Cell { get; init; }
    public required Span<float> Scratch { get; init; }
    public required ReadOnlySpan<int> Lengths { get; init; }

    /// <summary>This direction's R in the column blocks the operator asked for.</summary>
    public required ReadOnlySpan<PackedMatrix> Recurrence { get; init; }

    /// <summary>This direction's Rb [gates·hidden] (zeros when B is omitted), for cells that keep it out of the projection.</summary>
    public required ReadOnlySpan<float> RecurrenceBias { get; init; }

    /// <summary>LSTM's P [3·hidden] of this direction (input, output, forget); empty when omitted.</summary>
    public required ReadOnlySpan<float> Peepholes { get; init; }

    public required ReadOnlySpan<RecurrentActivation> Activations { get; init; }
    public required int ThreadCount { get; init; }

    /// <summary>True while batch row <paramref name="batch"/> is inside its sequence.</summary>
    public bool IsActive(int batch) => Index < Lengths[batch];

    /// <summary>Row <paramref name="batch"/> of a [batch, hidden] state.</summary>
    public Span<float> StateRow(Span<float> state, int batch) => state.Slice(batch * Shape.HiddenSize, Shape.HiddenSize);

    /// <summary>Gate <paramref name="gate"/> of row <paramref name="batch"/> in a [batch, gates·hidden] buffer.</summary>
    public Span<float> GateRow(Span<float> gates, int batch, int gate, int gateCount = 1) =>
        gates.Slice(batch * Shape.GateWidth + gate * Shape.HiddenSize, gateCount * Shape.HiddenSize);
}
