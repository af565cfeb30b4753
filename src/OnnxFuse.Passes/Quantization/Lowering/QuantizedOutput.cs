using OnnxFuse.Ir.Editing;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Passes.Fusions;
using OnnxFuse.Passes.Matching;

namespace OnnxFuse.Passes.Quantization.Lowering;

/// <summary>
/// The output end of a QDQ group: <c>op → [Relu | Clip] → QuantizeLinear(Scale, ZeroPoint)</c>, with a constant scalar scale and
/// zero point, every intermediate read only by the next node. The activation clamps to [Low, High]; since quantization
/// q(v) = saturate(round(v / s) + zp) is monotone, q(clip(v, lo, hi)) = clip(q(v), q(lo), q(hi)) exactly, so the lowered
/// op's integer output is clamped to [q(lo), q(hi)] — by nothing when that contains the whole integer range (ReLU6 into a
/// uint8 range calibrated on [0, ≤ 6]), otherwise by an integer Clip.
/// </summary>
public sealed record QuantizedOutput(Node Quantize, Node Producer, Node? Activation, float Low, float High, float Scale, int ZeroPoint, ElementType Type)
{
    public static QuantizedOutput? TryRead(Node quantize, long opset)
    {
        if (!quantize.IsDefaultDomain || quantize.Input(0).ElementType != ElementType.Float)
            return null;
        if (quantize.Output(0).ElementType is not (ElementType.Int8 or ElementType.UInt8) || Constants.Floats(quantize.Input(1)) is not [var scale])
            return null;
        var type = quantize.Output(0).ElementType!.Value;
        var zeroPoint = 0;
        if (quantize.OptionalInput(2) is { } zero)
        {
            if (zero.ConstantData is not { ElementCount: 1 } zeros || zeros.ElementType != type)
                return null;
            zeroPoint = type == ElementType.Int8 ? zeros.AsSpan<sbyte>()[0] : zeros.AsSpan<byte>()[0];
        }
        if (ReadSoleProducer(quantize.Input(0)) is not { } producer)
            return null;
        if (FusableActivation.TryRead(producer, opset) is { Name: "Relu" or "Clip" } activation)
        {
            if (ReadSoleProducer(producer.Input(0)) is not { } op)
                return null;
            var (low, high) = activation.Name == "Relu" ? (0f, float.PositiveInfinity) : (activation.Parameters[0], activation.Parameters[1]);
            return new QuantizedOutput(quantize, op, producer, low, high, scale, zeroPoint, type);
        }
        return new QuantizedOutput(quantize, producer, null, float.NegativeInfinity, float.PositiveInfinity, scale, zeroPoint, type);
    }

    /// <summary>This output with a further clamp to [low, high] (a fused activation); null when the two clamps leave no common range.</summary>
    public QuantizedOutput? ClampedTo(float low, float high)
    {
        var (newLow, newHigh) = (Math.Max(Low, low), Math.Min(High, high));
        return newLow <= newHigh ? this with { Low = newLow, High = newHigh } : null;
    }

    /// <summary>The integer clamp bounds [q(Low), q(High)] (saturated).</summary>
    public (int Low, int High) IntegerBounds => (Quantized(Low), Quantized(High));

    /// <summary>Whether the activation's clamp changes nothing once the output saturates to its integer range.</summary>
    public bool ClampIsSaturation
    {
        get
        {
            var (min, max) = QuantizedConstants.Range(Type);
            return IntegerBounds == (min, max);
        }
    }

    /// <summary>The QuantizeLinear's zero point input, or a constant 0 of the output type where it had none.</summary>
    public Value ZeroPointValue(Graph graph) =>
        Quantize.OptionalInput(2) ?? QuantizedConstants.Zero(graph, Type, $"{Quantize.Output(0).Name}_zero_point");

    /// <summary>
    /// The eight inputs of an int8 binary op (QLinearMatMul, com.microsoft QLinearAdd): each operand's quantized value, scale
    /// and zero point, then this output's scale and zero point.
    /// </summary>
    public Value[] BinaryOpInputs(DequantizedOperand left, DequantizedOperand right, Graph graph) =>
        [left.Quantized, left.Scale, left.ZeroPointOrZero(graph), right.Quantized, right.Scale, right.ZeroPointOrZero(graph),
            Quantize.Input(1), ZeroPointValue(graph)];

    public IReadOnlyList<Node> Nodes => Activation is null ? [Producer, Quantize] : [Producer, Activation, Quantize];

    /// <summary>Replaces the QuantizeLinear by <paramref name="lowered"/> (already in its scale and zero point), clamped when needed.</summary>
    public void Replace(Value lowered)
    {
        var graph = Quantize.Graph;
        // Shape inference has no rule for the QLinear ops; the next group's matcher needs the element type (Bypass hands it
        // on to a Clip put after the op).
        lowered.Type = Quantize.Output(0).Type;
        if (!ClampIsSaturation)
        {
            var (low, high) = IntegerBounds;
            var name = Quantize.Output(0).Name;
            lowered = graph.AddNode("Clip", [lowered, QuantizedConstants.Scalar(graph, Type, low, $"{name}_low"),
                QuantizedConstants.Scalar(graph, Type, high, $"{name}_high")], [graph.UniqueValueName($"{name}_clipped")],
                name: graph.UniqueNodeName($"{Activation?.Name ?? name}_integer")).Output(0);
        }
        GraphRewriter.Bypass(Quantize, lowered);
    }

    int Quantized(float value)
    {
        var (min, max) = QuantizedConstants.Range(Type);
        return (int)Math.Clamp(MathF.Round(value / Scale, MidpointRounding.ToEven) + ZeroPoint, min, max);
    }

    static Node? ReadSoleProducer(Value value) => value.Producer is { } producer && value.SoleConsumer() is not null ? producer : null;
}
