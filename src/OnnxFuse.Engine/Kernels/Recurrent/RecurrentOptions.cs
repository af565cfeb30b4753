namespace OnnxFuse.Engine.Kernels.Recurrent;

/// <summary>
/// The attributes RNN, GRU and LSTM share. <see cref="Activations"/> holds <see cref="ActivationsPerDirection"/>
/// functions per direction (forward first). <see cref="HiddenSize"/> is null when the attribute is absent (then R's
/// last dimension gives it). <see cref="Clip"/> bounds every gate's input to [−clip, clip]; +∞ means no clipping.
/// <see cref="BatchMajor"/> is opset 14's <c>layout</c> = 1: X, Y, the initial and final states put batch first.
/// </summary>
sealed record RecurrentOptions(RecurrentDirection Direction, int? HiddenSize, RecurrentActivation[] Activations, float Clip, bool BatchMajor)
{
    public int DirectionCount => Direction == RecurrentDirection.Bidirectional ? 2 : 1;

    public int ActivationsPerDirection => Activations.Length / DirectionCount;

    /// <summary>True when direction <paramref name="index"/> walks each sequence from its last step back.</summary>
    public bool IsReverse(int index) => Direction == RecurrentDirection.Reverse || index == 1;

    public bool HasClip => float.IsFinite(Clip);

    /// <summary>The activations of direction <paramref name="index"/>, in the operator's order (f, g, h).</summary>
    public ReadOnlySpan<RecurrentActivation> ActivationsOf(int index) =>
        Activations.AsSpan(index * ActivationsPerDirection, ActivationsPerDirection);
}
