using System.Numerics;
using OnnxFuse.Engine.Tensors;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.Elementwise;

/// <summary>
/// BitShift on unsigned integers with numpy broadcasting: Z = X &lt;&lt; Y (direction LEFT) or X &gt;&gt; Y (RIGHT). Shift
/// amounts of the element width or more give 0, as numpy's shifts of unsigned values.
/// </summary>
sealed class BitShiftKernel(bool left) : Kernel
{
    public override void Run(KernelContext context)
    {
        var x = context.Input(0);
        var y = context.Input(1);
        if (x.ElementType != y.ElementType)
            Throw.ShapeMismatch($"BitShift operands are {x.ElementType.DisplayName()} and {y.ElementType.DisplayName()}");
        Span<int> dims = stackalloc int[ShapeMath.MaxRank];
        var rank = ShapeMath.Broadcast(x.Dims, y.Dims, dims);
        var output = context.Output(0, x.ElementType, dims[..rank]);
        switch (x.ElementType)
        {
            case ElementType.UInt8: Shift<byte>(x, y, output); break;
            case ElementType.UInt16: Shift<ushort>(x, y, output); break;
            case ElementType.UInt32: Shift<uint>(x, y, output); break;
            case ElementType.UInt64: Shift<ulong>(x, y, output); break;
            default: Throw.ShapeMismatch($"BitShift needs unsigned integers, got {x}"); break;
        }
    }

    void Shift<T>(RuntimeTensor x, RuntimeTensor y, RuntimeTensor output) where T : unmanaged, IBinaryInteger<T>, IUnsignedNumber<T>
    {
        if (left)
            BroadcastDriver.Run<T, T, ShiftOp<T, LeftShift>>(x.Read<T>(), x.Dims, y.Read<T>(), y.Dims, output.Write<T>(), output.Dims);
        else
            BroadcastDriver.Run<T, T, ShiftOp<T, RightShift>>(x.Read<T>(), x.Dims, y.Read<T>(), y.Dims, output.Write<T>(), output.Dims);
    }

    interface IDirection
    {
        static abstract T Shift<T>(T value, int amount) where T : IBinaryInteger<T>;
    }

    readonly struct LeftShift : IDirection
    {
        public static T Shift<T>(T value, int amount) where T : IBinaryInteger<T> => value << amount;
    }

    readonly struct RightShift : IDirection
    {
        public static T Shift<T>(T value, int amount) where T : IBinaryInteger<T> => value >>> amount;
    }

    readonly struct ShiftOp<T, TDirection> : IBinaryOp<T, T> where T : unmanaged, IBinaryInteger<T>, IUnsignedNumber<T> where TDirection : IDirection
    {
        static T One(T value, T amount)
        {
            var bits = T.CreateTruncating(System.Runtime.CompilerServices.Unsafe.SizeOf<T>() * 8);
            return amount >= bits ? T.Zero : TDirection.Shift(value, int.CreateTruncating(amount));
        }

        public static void Invoke(ReadOnlySpan<T> left, ReadOnlySpan<T> right, Span<T> destination)
        {
            for (var i = 0; i < destination.Length; i++)
                destination[i] = One(left[i], right[i]);
        }

        public static void Invoke(ReadOnlySpan<T> left, T right, Span<T> destination)
        {
            for (var i = 0; i < destination.Length; i++)
                destination[i] = One(left[i], right);
        }

        public static void Invoke(T left, ReadOnlySpan<T> right, Span<T> destination)
        {
            for (var i = 0; i < destination.Length; i++)
                destination[i] = One(left, right[i]);
        }
    }
}
