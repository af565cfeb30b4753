namespace OnnxFuse.Engine.Kernels.Recurrent;

/// <summary>The <c>direction</c> attribute of RNN, GRU and LSTM; bidirectional runs forward as direction 0 and reverse as 1.</summary>
enum RecurrentDirection
{
    Forward,
    Reverse,
    Bidirectional,
}
