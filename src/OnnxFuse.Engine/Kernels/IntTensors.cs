using OnnxFuse.Engine.Tensors;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels;

/// <summary>Reading shape-like integer tensors (int64 or int32) as the longs ONNX's shape math uses.</summary>
static class IntTensors
{
    public static long[] ToLongs(TensorData data) => data.ElementType switch
    {
        ElementType.Int64 => data.ToArray<long>(),
        ElementType.Int32 => [.. data.ToArray<int>().Select(v => (long)v)],
        _ => Throw.ShapeMismatch<long[]>($"expected an int64 or int32 tensor, got {data}"),
    };

    /// <summary>Copies an int64/int32 tensor into <paramref name="destination"/> and returns the element count.</summary>
    public static int Read(RuntimeTensor tensor, Span<long> destination)
    {
        var count = tensor.ElementCount;
        if (count > destination.Length)
            Throw.ShapeMismatch($"a shape-like tensor of {count} elements is longer than the supported {destination.Length}");
        switch (tensor.ElementType)
        {
            case ElementType.Int64:
                tensor.Read<long>().CopyTo(destination);
                break;
            case ElementType.Int32:
                var ints = tensor.Read<int>();
                for (var i = 0; i < count; i++)
                    destination[i] = ints[i];
                break;
            default:
                Throw.ShapeMismatch($"expected an int64 or int32 tensor, got {tensor}");
                break;
        }
        return count;
    }

    /// <summary>Reads element 0 of a numeric tensor as a double (scalar inputs like Range's start).</summary>
    public static double ScalarAsDouble(RuntimeTensor tensor) => tensor.ElementType switch
    {
        ElementType.Float => tensor.Read<float>()[0],
        ElementType.Double => tensor.Read<double>()[0],
        ElementType.Int64 => tensor.Read<long>()[0],
        ElementType.Int32 => tensor.Read<int>()[0],
        ElementType.Float16 => (double)tensor.Read<Half>()[0],
        ElementType.Int16 => tensor.Read<short>()[0],
        ElementType.Int8 => tensor.Read<sbyte>()[0],
        ElementType.UInt8 => tensor.Read<byte>()[0],
        ElementType.Bool => tensor.Read<byte>()[0],
        _ => Throw.ShapeMismatch<double>($"cannot read a {tensor.ElementType.DisplayName()} scalar"),
    };

    /// <summary>
    /// Element <paramref name="index"/> of an int64 or int32 index tensor (Gather*, Scatter*), as a position on an axis of
    /// <paramref name="axisSize"/>: negative values count from the end; anything outside [−size, size) throws.
    /// </summary>
    public static int IndexOnAxis(RuntimeTensor indices, int index, int axisSize, string opType)
    {
        var value = indices.ElementType switch
        {
            ElementType.Int64 => indices.Read<long>()[index],
            ElementType.Int32 => indices.Read<int>()[index],
            _ => Throw.ShapeMismatch<long>($"{opType} indices must be int64 or int32, got {indices}"),
        };
        var position = value < 0 ? value + axisSize : value;
        if ((ulong)position >= (ulong)axisSize)
            Throw.ShapeMismatch($"{opType} index {value} is out of range for an axis of size {axisSize}");
        return (int)position;
    }
}
