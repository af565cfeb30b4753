using System.Numerics;
using OnnxFuse.Engine.Tensors;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.Elementwise;

/// <summary>
/// IsNaN and IsInf: a bool tensor of the input's shape marking NaN elements, or infinite ones (IsInf's
/// <c>detect_negative</c> and <c>detect_positive</c> choose which signs count).
/// </summary>
sealed class FloatClassKernel(bool nan, bool negativeInfinity, bool positiveInfinity) : Kernel
{
    public static FloatClassKernel IsNaN() => new(nan: true, negativeInfinity: false, positiveInfinity: false);

    public static FloatClassKernel IsInf(bool detectNegative, bool detectPositive) => new(nan: false, detectNegative, detectPositive);

    public override void Run(KernelContext context)
    {
        var input = context.Input(0);
        var output = context.Output(0, ElementType.Bool, input.Dims);
        var action = new Action(input, output, nan, negativeInfinity, positiveInfinity);
        ElementDispatch.Float(input.ElementType, ref action);
    }

    readonly struct Action(RuntimeTensor input, RuntimeTensor output, bool nan, bool negativeInfinity, bool positiveInfinity) : IFloatAction
    {
        public void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            var x = input.Read<T>();
            var y = output.Write<byte>();
            for (var i = 0; i < x.Length; i++)
            {
                var hit = nan ? T.IsNaN(x[i]) : negativeInfinity && T.IsNegativeInfinity(x[i]) || positiveInfinity && T.IsPositiveInfinity(x[i]);
                y[i] = hit ? (byte)1 : (byte)0;
            }
        }
    }
}
