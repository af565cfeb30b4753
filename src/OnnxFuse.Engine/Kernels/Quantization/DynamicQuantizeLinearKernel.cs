using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.Quantization;

/// <summary>
/// DynamicQuantizeLinear: float32 x → (y uint8, y_scale, y_zero_point) over the range widened to include 0:
/// scale = (max(0, max x) − min(0, min x)) / 255, zero_point = round(clamp(−min / scale, 0, 255)),
/// y = clamp(round(x / scale) + zero_point, 0, 255), rounding half to even. An all-zero x (an empty range) gets scale 1,
/// as ONNX Runtime gives it, so zero point and codes are 0 rather than a division by zero.
/// </summary>
sealed class DynamicQuantizeLinearKernel : Kernel
{
    public override void Run(KernelContext context)
    {
        var input = context.Input(0);
        if (input.ElementType != ElementType.Float)
            Throw.ShapeMismatch($"DynamicQuantizeLinear takes float32, got {input}");
        var x = input.Read<float>();
        var min = 0f;
        var max = 0f;
        foreach (var value in x)
        {
            min = Math.Min(min, value);
            max = Math.Max(max, value);
        }
        var scale = max == min ? 1f : (max - min) / 255f;
        var zeroPoint = (byte)MathF.Round(Math.Clamp(-min / scale, 0f, 255f), MidpointRounding.ToEven);
        var y = context.Output(0, ElementType.UInt8, input.Dims).Write<byte>();
        for (var i = 0; i < x.Length; i++)
            y[i] = (byte)Math.Clamp(MathF.Round(x[i] / scale, MidpointRounding.ToEven) + zeroPoint, 0f, 255f);
        context.Output(1, ElementType.Float, []).Write<float>()[0] = scale;
        context.Output(2, ElementType.UInt8, []).Write<byte>()[0] = zeroPoint;
    }
}
