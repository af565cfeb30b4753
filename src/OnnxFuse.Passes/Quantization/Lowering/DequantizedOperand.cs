using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Passes.Matching;

namespace OnnxFuse.Passes.Quantization.Lowering;

/// <summary>
/// One input of a float op that is <c>DequantizeLinear(Quantized, Scale, ZeroPoint, axis)</c> with a constant float32 scale
/// and a constant zero point (or none, meaning 0): what a QLinear op reads in its place. <see cref="Axis"/> is normalized
/// to the quantized tensor's rank; it only matters when the scale has more than one element.
/// </summary>
public sealed record DequantizedOperand(Value Quantized, Value Scale, Value? ZeroPoint, float[] Scales, int Axis)
{
    /// <summary>The operand behind <paramref name="value"/> when a DequantizeLinear of the given quantized types produces it; else null.</summary>
    public static DequantizedOperand? TryRead(Value value, params ElementType[] quantizedTypes)
    {
        if (value.ProducedBy("DequantizeLinear") is not { } dequantize || dequantize.GetInt("block_size", 0) != 0)
            return null;
        var quantized = dequantize.Input(0);
        if (quantized.ElementType is not { } type || !quantizedTypes.Contains(type))
            return null;
        var scale = dequantize.Input(1);
        if (Constants.Floats(scale) is not { Length: > 0 } scales)
            return null;
        var zeroPoint = dequantize.OptionalInput(2);
        if (zeroPoint is not null && (zeroPoint.ConstantData is not { } zeros || zeros.ElementType != type || zeros.ElementCount != scales.Length))
            return null;
        var axis = (int)dequantize.GetInt("axis", 1);
        if (scales.Length > 1)
        {
            if (quantized.Shape?.Rank is not { } rank)
                return null;
            axis = axis < 0 ? axis + rank : axis;
        }
        return new DequantizedOperand(quantized, scale, zeroPoint, scales, axis);
    }

    public bool IsPerTensor => Scales.Length == 1;

    /// <summary>The zero point input, or a constant 0 of the quantized type where the DequantizeLinear had none.</summary>
    public Value ZeroPointOrZero(Graph graph) => ZeroPoint ?? QuantizedConstants.Zero(graph, Quantized.ElementType!.Value, $"{Quantized.Name}_zero_point");
}
