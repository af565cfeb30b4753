using System.Buffers;
using OnnxFuse.Engine.Kernels.Elementwise;
using OnnxFuse.Engine.Kernels.Threading;
using OnnxFuse.Engine.Tensors;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.Quantization;

/// <summary>
/// com.microsoft QLinearAdd(A, A_scale, A_zero_point, B, B_scale, B_zero_point, C_scale, C_zero_point):
/// C = saturate(round_half_even((s_a · (A − zp_a) + s_b · (B − zp_b)) / s_c) + zp_c), computed as <see cref="QuantizedAddition"/>
/// (ONNX Runtime's arithmetic). A, B and C uint8 or int8, all of one type; scales float32 scalars, zero points scalars of that type
/// (0 when absent). numpy broadcasting: a one-element operand is folded into the offset; other broadcasts are expanded first.
/// </summary>
sealed class QLinearAddKernel : Kernel
{
    /// <summary>Elements per work item when the output is split between threads (ParallelRows splits at 8K values per thread).</summary>
    const int BlockLength = 1024;

    public override void Run(KernelContext context)
    {
        var left = context.Input(0);
        var right = context.Input(3);
        if (left.ElementType is not (ElementType.UInt8 or ElementType.Int8) || right.ElementType != left.ElementType)
            Throw.ShapeMismatch($"QLinearAdd operands must both be uint8 or both int8, got {left.ElementType.DisplayName()} and {right.ElementType.DisplayName()}");
        var addition = QuantizedAddition.Create(Scale(context, 1, "A_scale"), ZeroPoint(context, 2, left.ElementType, "A_zero_point"),
            Scale(context, 4, "B_scale"), ZeroPoint(context, 5, left.ElementType, "B_zero_point"),
            Scale(context, 6, "C_scale"), ZeroPoint(context, 7, left.ElementType, "C_zero_point"), left.ElementType == ElementType.Int8);
        Span<int> dims = stackalloc int[ShapeMath.MaxRank];
        var rank = ShapeMath.Broadcast(left.Dims, right.Dims, dims);
        var output = context.Output(0, left.ElementType, dims[..rank]);
        var count = output.ElementCount;
        if (count == 0)
            return;
        var destination = output.Write<byte>();
        if (right.ElementCount == 1)
        {
            Run(left.Bytes, addition.LeftRatio, default, 0, addition.OffsetWithRight(addition.Value(right.Bytes[0])), addition, destination, context.ThreadCount);
        }
        else if (left.ElementCount == 1)
        {
            Run(right.Bytes, addition.RightRatio, default, 0, addition.OffsetWithLeft(addition.Value(left.Bytes[0])), addition, destination, context.ThreadCount);
        }
        else if (left.ElementCount == count && right.ElementCount == count)
        {
            Run(left.Bytes, addition.LeftRatio, right.Bytes, addition.RightRatio, addition.Offset, addition, destination, context.ThreadCount);
        }
        else
        {
            var expandedLeft = Expanded(left, output.Dims);
            var expandedRight = Expanded(right, output.Dims);
            try
            {
                Run(expandedLeft.AsSpan(0, count), addition.LeftRatio, expandedRight.AsSpan(0, count), addition.RightRatio, addition.Offset, addition, destination,
                    context.ThreadCount);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(expandedLeft);
                ArrayPool<byte>.Shared.Return(expandedRight);
            }
        }
    }

    static unsafe void Run(ReadOnlySpan<byte> varying, float ratio, ReadOnlySpan<byte> other, float otherRatio, float offset, QuantizedAddition addition,
        Span<byte> destination, int threadCount)
    {
        fixed (byte* x = varying, y = other, z = destination)
        {
            var blocks = new Blocks(x, ratio, y, otherRatio, offset, addition, z, destination.Length);
            ParallelRows.Run(blocks, (destination.Length + BlockLength - 1) / BlockLength, BlockLength, threadCount);
        }
    }

    /// <summary><paramref name="tensor"/> broadcast to <paramref name="outputDims"/>, in a pooled array the caller returns.</summary>
    static byte[] Expanded(RuntimeTensor tensor, ReadOnlySpan<int> outputDims)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ShapeMath.Product(outputDims));
        BroadcastCopy.Run(tensor.Bytes, tensor.Dims, buffer.AsSpan(0, ShapeMath.Product(outputDims)), outputDims);
        return buffer;
    }

    static float Scale(KernelContext context, int index, string name)
    {
        var scale = context.Input(index);
        if (scale.ElementType != ElementType.Float || scale.ElementCount != 1)
            Throw.ShapeMismatch($"QLinearAdd's {name} must be one float32, got {scale.ElementType.DisplayName()}{ShapeMath.Format(scale.Dims)}");
        return scale.Read<float>()[0];
    }

    static int ZeroPoint(KernelContext context, int index, ElementType type, string name)
    {
        if (context.OptionalInput(index) is not { } zero)
            return 0;
        if (zero.ElementType != type || zero.ElementCount != 1)
            Throw.ShapeMismatch($"QLinearAdd's {name} must be one {type.DisplayName()}, got {zero.ElementType.DisplayName()}{ShapeMath.Format(zero.Dims)}");
        return type == ElementType.Int8 ? (sbyte)zero.Bytes[0] : zero.Bytes[0];
    }

    /// <summary>Blocks of <see cref="BlockLength"/> outputs; the pointers are pinned by the caller for the whole run.</summary>
    unsafe readonly struct Blocks(byte* varying, float ratio, byte* other, float otherRatio, float offset, QuantizedAddition addition, byte* destination,
        int length) : IRowWork
    {
        public void Run(int firstRow, int endRow)
        {
            var start = firstRow * BlockLength;
            var end = Math.Min(length, endRow * BlockLength);
            addition.Run(new ReadOnlySpan<byte>(varying + start, end - start), ratio,
                other is null ? default : new ReadOnlySpan<byte>(other + start, end - start), otherRatio, offset,
                new Span<byte>(destination + start, end - start), QuantizedAddition.UsesVector256);
        }
    }
}
