using OnnxFuse.Ir.Types;

namespace OnnxFuse.Ir.Inference.Rules;

/// <summary>
/// RNN, GRU, LSTM with X [seq, batch, input] (or [batch, seq, input] for <c>layout</c> = 1, opset 14):
/// Y [seq, dirs, batch, hidden] (layout 1: [batch, seq, dirs, hidden]); Y_h and LSTM's Y_c
/// [dirs, batch, hidden] (layout 1: [batch, dirs, hidden]); dirs is 2 for bidirectional, else 1.
/// </summary>
sealed class RecurrentRule : IShapeRule
{
    public static RecurrentRule Instance { get; } = new();

    public void Infer(InferenceContext context)
    {
        var elementType = context.InputElementType(0);
        var x = context.InputShape(0);
        var batchFirst = context.Int("layout", 0) != 0;
        var directions = Dim.Of(context.String("direction", "forward") == "bidirectional" ? 2 : 1);
        var hidden = context.Node.FindAttr("hidden_size") is { } attr ? Dim.Of(attr.AsInt())
            : context.InputShape(2) is { Rank: 3 } r ? r[2] : Dim.Unknown;
        var (sequence, batch) = x is { Rank: 3 } ? batchFirst ? (x[1], x[0]) : (x[0], x[1]) : (Dim.Unknown, Dim.Unknown);
        context.SetOutput(0, elementType, batchFirst
            ? new Shape([batch, sequence, directions, hidden])
            : new Shape([sequence, directions, batch, hidden]));
        var state = batchFirst ? new Shape([batch, directions, hidden]) : new Shape([directions, batch, hidden]);
        context.SetOutput(1, elementType, state);
        context.SetOutput(2, elementType, state);
    }
}
