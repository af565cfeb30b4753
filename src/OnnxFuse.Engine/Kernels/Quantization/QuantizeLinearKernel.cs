using System.Numerics;
using OnnxFuse.Engine.Tensors;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.Quantization;

/// <summary>
/// QuantizeLinear: y = saturate(round_half_even(x / scale) + zero_point) from float32 to the zero point's type
/// (uint8 when absent, or int8), per tensor or per channel along <c>axis</c>.
/// </summary>
sealed class QuantizeLinearKernel(long axis) : Kernel
{
    public override void Run(KernelContext context)
    {
        var x = context.Input(0);
        var scale = context.Input(1);
        var zeroPoint = context.OptionalInput(2);
        var output = context.Output(0, zeroPoint?.ElementType ?? ElementType.UInt8, x.Dims);
        if (scale.ElementCount == 1 && output.ElementType is ElementType.UInt8 or ElementType.Int8)
        {
            var zero = zeroPoint is null ? 0 : Int8Operands.ZeroPoints(zeroPoint.ElementType, zeroPoint.Bytes, "QuantizeLinear's zero point")[0];
            PerTensorQuantization.Quantize(x.Read<float>(), scale.Read<float>()[0], zero, output.ElementType == ElementType.Int8, output.Write<byte>(),
                PerTensorQuantization.UsesVector256);
            return;
        }
        var channelAxis = scale.ElementCount > 1 ? ShapeMath.NormalizeAxis(axis, x.Rank) : -1;
        var inner = channelAxis < 0 ? x.ElementCount : ShapeMath.Product(x.Dims, channelAxis + 1, x.Rank);
        var action = new Action(x.Read<float>(), scale.Read<float>(), zeroPoint, inner, output);
        ElementDispatch.Numeric(output.ElementType, ref action);
    }

    readonly ref struct Action(ReadOnlySpan<float> x, ReadOnlySpan<float> scale, RuntimeTensor? zeroPoint, int inner, RuntimeTensor output) : INumericAction
    {
        readonly ReadOnlySpan<float> _x = x;
        readonly ReadOnlySpan<float> _scale = scale;

        public void Invoke<T>() where T : unmanaged, INumber<T>
        {
            var zeros = zeroPoint is null ? default : zeroPoint.Read<T>();
            var target = output.Write<T>();
            for (var i = 0; i < _x.Length; i++)
            {
                var channel = _scale.Length == 1 ? 0 : i / Math.Max(inner, 1) % _scale.Length;
                var zero = zeros.IsEmpty ? 0f : float.CreateTruncating(zeros[zeros.Length == 1 ? 0 : channel]);
                target[i] = T.CreateSaturating(MathF.Round(_x[i] / _scale[channel], MidpointRounding.ToEven) + zero);
            }
        }
    }
}
