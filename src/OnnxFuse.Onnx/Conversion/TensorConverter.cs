using System.Buffers.Binary;
using Google.Protobuf;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Onnx.Protos;

namespace OnnxFuse.Onnx.Conversion;

/// <summary>
/// <c>TensorProto</c> ⇄ <see cref="TensorData"/>. Import wraps <c>raw_data</c>'s buffer without copying and packs
/// the typed fields (float_data, int32_data…) into little-endian bytes once; export wraps the tensor's memory back.
/// </summary>
static class TensorConverter
{
    public static TensorData ToIr(TensorProto proto, LoadContext context, string what)
    {
        if (!ElementTypes.IsKnown(proto.DataType))
            context.Fail($"{what} has unknown element type {proto.DataType}");
        var type = (ElementType)proto.DataType;
        var dims = proto.Dims.ToArray();
        long count = 1;
        foreach (var dim in dims)
        {
            if (dim < 0)
                context.Fail($"{what} has negative dimension {dim} in [{string.Join(',', dims)}]");
            count = count > 0 && dim > long.MaxValue / count ? context.Fail<long>($"{what} has too many elements") : count * dim;
        }
        if (proto.Segment is not null)
            context.Fail($"{what} is a segment of a larger tensor, which is not supported");
        var describe = $"{what} ({type.DisplayName()}[{string.Join(',', dims)}])";
        if (type == ElementType.String)
        {
            if (proto.StringData.Count != count)
                context.Fail($"{describe} has {proto.StringData.Count} strings, expected {count}");
            return TensorData.FromStrings(dims, proto.StringData.Select(s => s.ToByteArray()), NameOrNull(proto.Name));
        }
        var byteCount = type.ByteCount(count);
        if (proto.DataLocation == TensorProto.Types.DataLocation.External)
            return TensorData.FromBytes(type, dims, ReadExternal(proto, context, describe, byteCount), NameOrNull(proto.Name));
        if (!proto.RawData.IsEmpty || byteCount == 0)
        {
            if (proto.RawData.Length != byteCount)
                context.Fail($"{describe} has {proto.RawData.Length} bytes of raw_data, expected {byteCount}");
            return TensorData.FromBytes(type, dims, proto.RawData.Memory, NameOrNull(proto.Name));
        }
        return TensorData.FromBytes(type, dims, PackTypedFields(proto, type, count, byteCount, context, describe), NameOrNull(proto.Name));
    }

    /// <summary>A <c>TensorProto</c> whose <c>raw_data</c> wraps the tensor's memory, or points into external data.</summary>
    public static TensorProto ToProto(TensorData tensor, string name, ExternalDataWriter? externalData)
    {
        var proto = new TensorProto { Name = name, DataType = (int)tensor.ElementType };
        proto.Dims.AddRange(tensor.Dims);
        if (tensor.Strings is { } strings)
        {
            foreach (var s in strings)
                proto.StringData.Add(ByteString.CopyFrom(s));
        }
        else if (externalData is not null && externalData.Accepts(tensor))
        {
            var (location, offset, length) = externalData.Append(tensor.Bytes);
            proto.DataLocation = TensorProto.Types.DataLocation.External;
            proto.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = location });
            proto.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = offset.ToString(System.Globalization.CultureInfo.InvariantCulture) });
            proto.ExternalData.Add(new StringStringEntryProto { Key = "length", Value = length.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        }
        else
        {
            proto.RawData = UnsafeByteOperations.UnsafeWrap(tensor.Bytes);
        }
        return proto;
    }

    static string? NameOrNull(string name) => name.Length == 0 ? null : name;

    static byte[] ReadExternal(TensorProto proto, LoadContext context, string describe, long byteCount)
    {
        string location = "";
        long offset = 0, length = byteCount;
        foreach (var entry in proto.ExternalData)
        {
            switch (entry.Key)
            {
                case "location":
                    location = entry.Value;
                    break;
                case "offset":
                    offset = ParseLong(entry.Value, "offset");
                    break;
                case "length":
                    length = ParseLong(entry.Value, "length");
                    break;
                default:
                    break;
            }
        }
        if (length != byteCount)
            context.Fail($"{describe} has external data length {length}, expected {byteCount}");
        return context.ReadExternal(proto.Name, location, offset, length);

        long ParseLong(string text, string key) =>
            long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v)
                ? v
                : context.Fail<long>($"{describe} has external-data {key} '{text}', which is not a non-negative integer");
    }

    static byte[] PackTypedFields(TensorProto proto, ElementType type, long count, long byteCount, LoadContext context, string describe)
    {
        var bytes = new byte[byteCount];
        var span = bytes.AsSpan();
        switch (type)
        {
            case ElementType.Float or ElementType.Complex64:
                Expect(proto.FloatData.Count, "float_data", byteCount / 4);
                for (var i = 0; i < proto.FloatData.Count; i++)
                    BinaryPrimitives.WriteSingleLittleEndian(span[(i * 4)..], proto.FloatData[i]);
                break;
            case ElementType.Double or ElementType.Complex128:
                Expect(proto.DoubleData.Count, "double_data", byteCount / 8);
                for (var i = 0; i < proto.DoubleData.Count; i++)
                    BinaryPrimitives.WriteDoubleLittleEndian(span[(i * 8)..], proto.DoubleData[i]);
                break;
            case ElementType.Int64:
                Expect(proto.Int64Data.Count, "int64_data", count);
                for (var i = 0; i < proto.Int64Data.Count; i++)
                    BinaryPrimitives.WriteInt64LittleEndian(span[(i * 8)..], proto.Int64Data[i]);
                break;
            case ElementType.UInt64:
                Expect(proto.Uint64Data.Count, "uint64_data", count);
                for (var i = 0; i < proto.Uint64Data.Count; i++)
                    BinaryPrimitives.WriteUInt64LittleEndian(span[(i * 8)..], proto.Uint64Data[i]);
                break;
            case ElementType.UInt32:
                Expect(proto.Uint64Data.Count, "uint64_data", count);
                for (var i = 0; i < proto.Uint64Data.Count; i++)
                    BinaryPrimitives.WriteUInt32LittleEndian(span[(i * 4)..], (uint)proto.Uint64Data[i]);
                break;
            case ElementType.Int32:
                Expect(proto.Int32Data.Count, "int32_data", count);
                for (var i = 0; i < proto.Int32Data.Count; i++)
                    BinaryPrimitives.WriteInt32LittleEndian(span[(i * 4)..], proto.Int32Data[i]);
                break;
            case ElementType.Int16 or ElementType.UInt16 or ElementType.Float16 or ElementType.BFloat16:
                // 16-bit types keep one element (its bit pattern, for the float formats) in the low half of each int32.
                Expect(proto.Int32Data.Count, "int32_data", count);
                for (var i = 0; i < proto.Int32Data.Count; i++)
                    BinaryPrimitives.WriteUInt16LittleEndian(span[(i * 2)..], unchecked((ushort)proto.Int32Data[i]));
                break;
            default:
                // 8-bit types keep one element per int32; 4-bit types keep one packed pair (one byte) per int32.
                Expect(proto.Int32Data.Count, "int32_data", byteCount);
                for (var i = 0; i < proto.Int32Data.Count; i++)
                    span[i] = unchecked((byte)proto.Int32Data[i]);
                break;
        }
        return bytes;

        void Expect(int actual, string field, long expected)
        {
            if (actual != expected)
                context.Fail(actual == 0
                    ? $"{describe} has no data (neither raw_data nor {field})"
                    : $"{describe} has {actual} entries in {field}, expected {expected}");
        }
    }
}
