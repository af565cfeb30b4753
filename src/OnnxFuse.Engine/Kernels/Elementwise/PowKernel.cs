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
        if (x.ElementType is not (ElementType.Float or ElementType.Double or ElementType.Float16) || x.ElementType != y.ElementType && y.ElementCount != 1)
        {
            MixedTypes(context, x, y);
            return;
        }
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

    /// <summary>Integer bases or exponent tensors of another type: computed in double, converted back to the base type.</summary>
    static void MixedTypes(KernelContext context, RuntimeTensor x, RuntimeTensor y)
    {
        Span<int> dims = stackalloc int[ShapeMath.MaxRank];
        var rank = ShapeMath.Broadcast(x.Dims, y.Dims, dims);
        var output = context.Output(0, x.ElementType, dims[..rank]);
        var bases = System.Buffers.ArrayPool<double>.Shared.Rent(x.ElementCount);
        var exponents = System.Buffers.ArrayPool<double>.Shared.Rent(y.ElementCount);
        var results = System.Buffers.ArrayPool<double>.Shared.Rent(output.ElementCount);
        var toDouble = new ToDouble(x, bases);
        ElementDispatch.Numeric(x.ElementType, ref toDouble);
        toDouble = new ToDouble(y, exponents);
        ElementDispatch.Numeric(y.ElementType, ref toDouble);
        BroadcastDriver.Run<double, double, PowOp<double>>(bases.AsSpan(0, x.ElementCount), x.Dims, exponents.AsSpan(0, y.ElementCount), y.Dims,
            results.AsSpan(0, output.ElementCount), output.Dims);
        var fromDouble = new FromDouble(results, output);
        ElementDispatch.Numeric(output.ElementType, ref fromDouble);
        System.Buffers.ArrayPool<double>.Shared.Return(bases);
        System.Buffers.ArrayPool<double>.Shared.Return(exponents);
        System.Buffers.ArrayPool<double>.Shared.Return(results);
    }

    readonly struct ToDouble(RuntimeTensor tensor, double[] values) : INumericAction
    {
        public void Invoke<T>() where T : unmanaged, INumber<T>
        {
            var source = tensor.Read<T>();
            for (var i = 0; i < source.Length; i++)
                values[i] = double.CreateTruncating(source[i]);
        }
    }

    readonly struct FromDouble(double[] values, RuntimeTensor tensor) : INumericAction
    {
        public void Invoke<T>() where T : unmanaged, INumber<T>
        {
            var target = tensor.Write<T>();
            for (var i = 0; i < target.Length; i++)
                target[i] = T.CreateTruncating(values[i]);
        }
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
