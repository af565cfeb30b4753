namespace OnnxFuse.Ir.Tensors;

/// <summary>Facts about <see cref="ElementType"/>: sizes, names, and the CLR type behind each.</summary>
public static class ElementTypes
{
    /// <summary>Highest element type number this build understands.</summary>
    public const ElementType Last = ElementType.Float4E2M1;

    public static bool IsKnown(int dataType) => dataType is > 0 and <= (int)Last;

    /// <summary>Bits one element occupies in packed raw data (4 for int4/uint4/float4; 0 for string).</summary>
    public static int BitSize(this ElementType type) => type switch
    {
        ElementType.Float or ElementType.Int32 or ElementType.UInt32 => 32,
        ElementType.Double or ElementType.Int64 or ElementType.UInt64 or ElementType.Complex64 => 64,
        ElementType.Complex128 => 128,
        ElementType.Float16 or ElementType.BFloat16 or ElementType.Int16 or ElementType.UInt16 => 16,
        ElementType.UInt8 or ElementType.Int8 or ElementType.Bool or ElementType.Float8E4M3FN or ElementType.Float8E4M3FNUZ
            or ElementType.Float8E5M2 or ElementType.Float8E5M2FNUZ => 8,
        ElementType.UInt4 or ElementType.Int4 or ElementType.Float4E2M1 => 4,
        ElementType.String => 0,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "unknown element type"),
    };

    /// <summary>Bytes that <paramref name="elementCount"/> packed elements occupy (rounded up for 4-bit types).</summary>
    public static long ByteCount(this ElementType type, long elementCount) => (type.BitSize() * elementCount + 7) / 8;

    /// <summary>The name ONNX's text format and numpy users know: float32, int64, bool, float16…</summary>
    public static string DisplayName(this ElementType type) => type switch
    {
        ElementType.Float => "float32",
        ElementType.Double => "float64",
        ElementType.Float16 => "float16",
        ElementType.BFloat16 => "bfloat16",
        ElementType.UInt8 => "uint8",
        ElementType.Int8 => "int8",
        ElementType.UInt16 => "uint16",
        ElementType.Int16 => "int16",
        ElementType.Int32 => "int32",
        ElementType.Int64 => "int64",
        ElementType.UInt32 => "uint32",
        ElementType.UInt64 => "uint64",
        ElementType.String => "string",
        ElementType.Bool => "bool",
        ElementType.Complex64 => "complex64",
        ElementType.Complex128 => "complex128",
        ElementType.Float8E4M3FN => "float8e4m3fn",
        ElementType.Float8E4M3FNUZ => "float8e4m3fnuz",
        ElementType.Float8E5M2 => "float8e5m2",
        ElementType.Float8E5M2FNUZ => "float8e5m2fnuz",
        ElementType.UInt4 => "uint4",
        ElementType.Int4 => "int4",
        ElementType.Float4E2M1 => "float4e2m1",
        _ => $"type{(int)type}",
    };

    /// <summary>The element type whose CLR representation is <typeparamref name="T"/>.</summary>
    public static ElementType Of<T>() where T : unmanaged => default(T) switch
    {
        float => ElementType.Float,
        double => ElementType.Double,
        Half => ElementType.Float16,
        byte => ElementType.UInt8,
        sbyte => ElementType.Int8,
        ushort => ElementType.UInt16,
        short => ElementType.Int16,
        int => ElementType.Int32,
        long => ElementType.Int64,
        uint => ElementType.UInt32,
        ulong => ElementType.UInt64,
        bool => ElementType.Bool,
        _ => throw new NotSupportedException($"{typeof(T).Name} has no ONNX element type"),
    };
}
