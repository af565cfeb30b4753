using System.Runtime.InteropServices;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.Quantization;

/// <summary>Type dispatch for the quantized kernels' uint8/int8 tensors: zero points as ints and packing from raw bytes.</summary>
static class Int8Operands
{
    /// <summary>True for int8, false for uint8; other types are a <see cref="ShapeMismatchException"/> naming <paramref name="what"/>.</summary>
    public static bool IsSigned(ElementType type, string what) => type switch
    {
        ElementType.Int8 => true,
        ElementType.UInt8 => false,
        _ => Throw.ShapeMismatch<bool>($"{what} must be uint8 or int8, got {type.DisplayName()}"),
    };

    /// <summary>The zero points of a uint8/int8 tensor as ints; empty (meaning 0) when absent.</summary>
    public static int[] ZeroPoints(ElementType type, ReadOnlySpan<byte> bytes, string what)
    {
        var values = new int[bytes.Length];
        var signed = IsSigned(type, what);
        for (var i = 0; i < values.Length; i++)
            values[i] = signed ? (sbyte)bytes[i] : bytes[i];
        return values;
    }

    public static int[] ZeroPoints(TensorData? data, string what) =>
        data is null ? [] : ZeroPoints(data.ElementType, data.Bytes.Span, what);

    /// <summary>The float32 scales of a tensor; float16 and bfloat16 scales are rejected.</summary>
    public static ReadOnlySpan<float> Scales(ElementType type, ReadOnlySpan<byte> bytes, string what) => type == ElementType.Float
        ? MemoryMarshal.Cast<byte, float>(bytes)
        : Throw.ShapeMismatch<float[]>($"{what} must be float32, got {type.DisplayName()}");

    public static Int8PackedRows PackRows(ReadOnlySpan<byte> bytes, bool signed, int rowCount, int depth, int rowStride, int depthStride,
        ReadOnlySpan<int> zeroPoints, int[] destination) => signed
        ? Int8PackedRows.Pack(MemoryMarshal.Cast<byte, sbyte>(bytes), rowCount, depth, rowStride, depthStride, zeroPoints, destination)
        : Int8PackedRows.Pack(bytes, rowCount, depth, rowStride, depthStride, zeroPoints, destination);

    public static Int8PackedColumns PackColumns(ReadOnlySpan<byte> bytes, bool signed, int depth, int columnCount, int depthStride,
        int columnStride, ReadOnlySpan<int> zeroPoints, int[] destination) => signed
        ? Int8PackedColumns.Pack(MemoryMarshal.Cast<byte, sbyte>(bytes), depth, columnCount, depthStride, columnStride, zeroPoints, destination)
        : Int8PackedColumns.Pack(bytes, depth, columnCount, depthStride, columnStride, zeroPoints, destination);
}
