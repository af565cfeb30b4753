using System.Numerics;
using System.Numerics.Tensors;
using OnnxFuse.Engine.Tensors;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.Elementwise;

/// <summary>
/// Pow: z = xʸ with broadcasting, floating-point base. A scalar exponent may have another numeric type; the common
/// exponents 2 and 0.5 take the multiply and square-root paths.
/// </summary>
sealed class PowKernel : Kernel
{
    public override void Run(KernelContext context)
    {
        var x = context.Input(0);
        var y = context.Input(1);
        if (y.ElementCount == 1 && x.Rank >= y.Rank)
        {
            var output = context.Output(0, x.ElementType, x.Dims);
            var scalar = new ScalarAction(x, IntTensors.ScalarAsDouble(y), output);
            ElementDispatch.Float(x.ElementType, ref scalar);
            return;
        }
        if (x.ElementType != y.ElementType)
            Throw.ShapeMismatch($"Pow with a {y.ElementType.DisplayName()} exponent tensor and a {x.ElementType.DisplayName()} base is not supported");
        Span<int> dims = stackalloc int[ShapeMath.MaxRank];
        var rank = ShapeMath.Broadcast(x.Dims, y.Dims, dims);
        var result = context.Output(0, x.ElementType, dims[..rank]);
        var action = new Action(x, y, result);
        ElementDispatch.Float(x.ElementType, ref action);
    }

    readonly struct ScalarAction(RuntimeTensor x, double exponent, RuntimeTensor output) : IFloatAction
    {
        public void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            var source = x.Read<T>();
            var destination = output.Write<T>();
            if (exponent == 2)
                TensorPrimitives.Multiply(source, source, destination);
            else if (exponent == 0.5)
                TensorPrimitives.Sqrt(source, destination);
            else if (exponent == 1)
                source.CopyTo(destination);
            else
                TensorPrimitives.Pow(source, T.CreateTruncating(exponent), destination);
        }
    }

    readonly struct Action(RuntimeTensor x, RuntimeTensor y, RuntimeTensor output) : IFloatAction
    {
        public void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T> =>
            BroadcastDriver.Run<T, T, PowOp<T>>(x.Read<T>(), x.Dims, y.Read<T>(), y.Dims, output.Write<T>(), output.Dims);
    }

    readonly struct PowOp<T> : IBinaryOp<T, T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        public static void Invoke(ReadOnlySpan<T> left, ReadOnlySpan<T> right, Span<T> destination) => TensorPrimitives.Pow(left, right, destination);

        public static void Invoke(ReadOnlySpan<T> left, T right, Span<T> destination) => TensorPrimitives.Pow(left, right, destination);

        public static void Invoke(T left, ReadOnlySpan<T> right, Span<T> destination) => TensorPrimitives.Pow(left, right, destination);
    }
}
