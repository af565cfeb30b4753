using Google.Protobuf;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Onnx.Protos;

namespace OnnxFuse.Onnx.Tests;

public sealed class TensorConverterTests
{
    /// <summary>Per element type: a tensor stored in ONNX's typed field and the little-endian bytes it stands for.</summary>
    static readonly Dictionary<ElementType, (Action<TensorProto> Fill, long[] Dims, byte[] Expected)> s_cases = new()
    {
        [ElementType.Float] = (t => t.FloatData.Add([1.5f, -2f]), [2], [0, 0, 0xC0, 0x3F, 0, 0, 0, 0xC0]),
        [ElementType.Complex64] = (t => t.FloatData.Add([1f, -2f]), [1], [0, 0, 0x80, 0x3F, 0, 0, 0, 0xC0]),
        [ElementType.Double] = (t => t.DoubleData.Add(-2.0), [], [0, 0, 0, 0, 0, 0, 0, 0xC0]),
        [ElementType.Complex128] = (t => t.DoubleData.Add([1.0, -2.0]), [1], [0, 0, 0, 0, 0, 0, 0xF0, 0x3F, 0, 0, 0, 0, 0, 0, 0, 0xC0]),
        [ElementType.Int64] = (t => t.Int64Data.Add([-1, 258]), [2], [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 2, 1, 0, 0, 0, 0, 0, 0]),
        [ElementType.UInt64] = (t => t.Uint64Data.Add(ulong.MaxValue), [1], [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]),
        [ElementType.UInt32] = (t => t.Uint64Data.Add([4_000_000_000, 1]), [2], [0x00, 0x28, 0x6B, 0xEE, 1, 0, 0, 0]),
        [ElementType.Int32] = (t => t.Int32Data.Add([-2, 65536]), [2], [0xFE, 0xFF, 0xFF, 0xFF, 0, 0, 1, 0]),
        [ElementType.Int16] = (t => t.Int32Data.Add([-2, 300]), [2], [0xFE, 0xFF, 0x2C, 0x01]),
        [ElementType.UInt16] = (t => t.Int32Data.Add(65535), [1], [0xFF, 0xFF]),
        [ElementType.Float16] = (t => t.Int32Data.Add([0x3C00, 0xC000]), [2], [0x00, 0x3C, 0x00, 0xC0]),
        [ElementType.BFloat16] = (t => t.Int32Data.Add(0x3F80), [1], [0x80, 0x3F]),
        [ElementType.Int8] = (t => t.Int32Data.Add([-1, 5]), [2], [0xFF, 5]),
        [ElementType.UInt8] = (t => t.Int32Data.Add([200, 0]), [2], [200, 0]),
        [ElementType.Bool] = (t => t.Int32Data.Add([1, 0, 1]), [3], [1, 0, 1]),
        [ElementType.Float8E4M3FN] = (t => t.Int32Data.Add(0x38), [1], [0x38]),
        [ElementType.Float8E4M3FNUZ] = (t => t.Int32Data.Add(0x40), [1], [0x40]),
        [ElementType.Float8E5M2] = (t => t.Int32Data.Add(0x3C), [1], [0x3C]),
        [ElementType.Float8E5M2FNUZ] = (t => t.Int32Data.Add(0x40), [1], [0x40]),
        // 4-bit types: each int32 entry holds one packed pair, low nibble first; an odd count pads the last byte.
        [ElementType.Int4] = (t => t.Int32Data.Add([0xF1, 0x07]), [3], [0xF1, 0x07]),
        [ElementType.UInt4] = (t => t.Int32Data.Add(0x21), [2], [0x21]),
        [ElementType.Float4E2M1] = (t => t.Int32Data.Add(0x72), [2], [0x72]),
    };

    public static TheoryData<ElementType> TypedElementTypes => [.. s_cases.Keys];

    [Fact]
    public void Every_non_string_element_type_has_a_typed_field_case()
    {
        var all = Enum.GetValues<ElementType>().Where(t => t is not (ElementType.Undefined or ElementType.String));
        Assert.Equal(all.Order(), s_cases.Keys.Order());
    }

    [Theory, MemberData(nameof(TypedElementTypes))]
    public void Typed_field_contents_become_packed_little_endian_bytes(ElementType type)
    {
        var (fill, dims, expected) = s_cases[type];
        var proto = new TensorProto { Name = "t", DataType = (int)type, Dims = { dims } };
        fill(proto);

        var tensor = TensorFile.Parse(proto.ToByteArray(), "typed.pb");

        Assert.Equal(type, tensor.ElementType);
        Assert.Equal(dims, tensor.Dims);
        Assert.Equal(expected, tensor.Bytes.ToArray());
    }

    [Theory, MemberData(nameof(TypedElementTypes))]
    public void Raw_data_gives_the_same_tensor_as_the_typed_field(ElementType type)
    {
        var (_, dims, expected) = s_cases[type];
        var proto = new TensorProto { Name = "t", DataType = (int)type, Dims = { dims }, RawData = ByteString.CopyFrom(expected) };

        var tensor = TensorFile.Parse(proto.ToByteArray(), "raw.pb");

        Assert.Equal(expected, tensor.Bytes.ToArray());
    }

    [Fact]
    public void Decoded_values_read_back_as_their_clr_types()
    {
        var floats = new TensorProto { DataType = (int)ElementType.Float, Dims = { 3 }, FloatData = { 0.25f, float.NaN, -7f } };
        var halves = new TensorProto { DataType = (int)ElementType.Float16, Dims = { 1 }, Int32Data = { BitConverter.HalfToInt16Bits((Half)1.5f) } };

        Assert.Equal([0.25f, float.NaN, -7f], TensorFile.Parse(floats.ToByteArray(), "f.pb").ToArray<float>());
        Assert.Equal((Half)1.5f, TensorFile.Parse(halves.ToByteArray(), "h.pb").AsSpan<Half>()[0]);
    }

    [Fact]
    public void String_data_becomes_one_byte_string_per_element()
    {
        var proto = new TensorProto { DataType = (int)ElementType.String, Dims = { 2 }, StringData = { ByteString.CopyFromUtf8("ab"), ByteString.Empty } };

        var tensor = TensorFile.Parse(proto.ToByteArray(), "s.pb");

        Assert.Equal([[(byte)'a', (byte)'b'], []], tensor.Strings!);
    }

    [Fact]
    public void A_typed_field_with_the_wrong_count_is_refused_with_both_counts()
    {
        var proto = new TensorProto { Name = "t", DataType = (int)ElementType.Int64, Dims = { 3 }, Int64Data = { 1, 2 } };

        var error = Assert.Throws<ModelLoadException>(() => TensorFile.Parse(proto.ToByteArray(), "count.pb"));

        Assert.Equal("count.pb: tensor 't' (int64[3]) has 2 entries in int64_data, expected 3", error.Message);
    }

    [Fact]
    public void Negative_dimensions_are_refused()
    {
        var proto = new TensorProto { Name = "t", DataType = (int)ElementType.Float, Dims = { 2, -1 } };

        var error = Assert.Throws<ModelLoadException>(() => TensorFile.Parse(proto.ToByteArray(), "neg.pb"));

        Assert.Equal("neg.pb: tensor 't' has negative dimension -1 in [2,-1]", error.Message);
    }
}
