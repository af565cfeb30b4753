using System.Numerics;
using OnnxFuse.Engine.Tensors;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.Quantization;

/// <summary>
/// DequantizeLinear: y = (x − zero_point) · scale as float32, per tensor (scalar scale) or per channel along
/// <c>axis</c> (1-D scale); x is int8, uint8 or int32.
/// </summary>
sealed class DequantizeLinearKernel(long axis) : Kernel
{
    public override void Run(KernelContext context)
    {
        var x = context.Input(0);
        var scale = context.Input(1);
        var zeroPoint = context.OptionalInput(2);
        var output = context.Output(0, ElementType.Float, x.Dims);
        if (scale.ElementCount == 1 && x.ElementType is ElementType.UInt8 or ElementType.Int8)
        {
            var zero = zeroPoint is null ? 0 : Int8Operands.ZeroPoints(zeroPoint.ElementType, zeroPoint.Bytes, "DequantizeLinear's zero point")[0];
            PerTensorQuantization.Dequantize(x.Bytes, x.ElementType == ElementType.Int8, zero, scale.Read<float>()[0], output.Write<float>(),
                PerTensorQuantization.UsesVector256);
            return;
        }
        var channelAxis = scale.ElementCount > 1 ? ShapeMath.NormalizeAxis(axis, x.Rank) : -1;
        var inner = channelAxis < 0 ? x.ElementCount : ShapeMath.Product(x.Dims, channelAxis + 1, x.Rank);
        var action = new Action(x, scale.Read<float>(), zeroPoint, inner, output.Write<float>());
        ElementDispatch.Numeric(x.ElementType, ref action);
    }

    readonly ref struct Action(RuntimeTensor x, ReadOnlySpan<float> scale, RuntimeTensor? zeroPoint, int inner, Span<float> output) : INumericAction
    {
        readonly ReadOnlySpan<float> _scale = scale;
        readonly Span<float> _output = output;

        public void Invoke<T>() where T : unmanaged, INumber<T>
        {
            var values = x.Read<T>();
            var zeros = zeroPoint is null ? default : zeroPoint.Read<T>();
            for (var i = 0; i < values.Length; i++)
            {
                var channel = _scale.Length == 1 ? 0 : i / Math.Max(inner, 1) % _scale.Length;
                var zero = zeros.IsEmpty ? 0f : float.CreateTruncating(zeros[zeros.Length == 1 ? 0 : channel]);
                _output[i] = (float.CreateTruncating(values[i]) - zero) * _scale[channel];
            }
        }
    }
}
