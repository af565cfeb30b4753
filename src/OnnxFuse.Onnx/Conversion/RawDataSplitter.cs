using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using Google.Protobuf;
using OnnxFuse.Onnx.Protos;

namespace OnnxFuse.Onnx.Conversion;

/// <summary>
/// Lets a model load keep its weights where the file's bytes already are. Google.Protobuf copies every
/// <c>bytes</c> field it parses, which doubles a model's memory and time; so before parsing, a wire-level walk
/// replaces each large <c>TensorProto.raw_data</c> with a 16-byte marker (a per-load nonce and an index) and
/// remembers where the real bytes lie in the file buffer. After parsing the small remainder, <see cref="Restore(ModelProto)"/>
/// points each marked tensor's <c>raw_data</c> at its slice of the file buffer, without copying.
/// </summary>
/// <remarks>
/// Walked: ModelProto.graph / functions → GraphProto.node / initializer / sparse_initializer → NodeProto.attribute →
/// AttributeProto.t / tensors / g / graphs / sparse_tensor(s) → SparseTensorProto.values / indices → TensorProto.raw_data.
/// Every other field is copied verbatim. Malformed input makes <see cref="TrySplit"/> give up, so the protobuf
/// parser sees the original bytes and reports the error in its own words.
/// </remarks>
sealed class RawDataSplitter
{
    /// <summary>Smaller raw_data fields are left in place: copying them costs less than a marker lookup.</summary>
    const int MinimumSplitBytes = 256;
    const int MarkerBytes = 16;

    enum Kind { Model, Graph, Function, Node, Attribute, SparseTensor, Tensor }

    readonly byte[] _file;
    readonly long _nonce = BinaryPrimitives.ReadInt64LittleEndian(RandomNumberGenerator.GetBytes(8));
    readonly List<ReadOnlyMemory<byte>> _slices = [];

    RawDataSplitter(byte[] file) => _file = file;

    /// <summary>The model bytes with large raw_data replaced by markers, or null when the bytes are not well-formed.</summary>
    public static (byte[] Remainder, RawDataSplitter Splitter)? TrySplit(byte[] file)
    {
        var splitter = new RawDataSplitter(file);
        var writer = new ArrayBufferWriter<byte>(4096);
        return splitter.Walk(file.AsSpan(), 0, Kind.Model, writer) ? (writer.WrittenSpan.ToArray(), splitter) : null;
    }

    /// <summary>Points every marked tensor of the parsed model at its bytes in the file buffer.</summary>
    public void Restore(ModelProto model)
    {
        if (_slices.Count == 0)
            return;
        if (model.Graph is { } graph)
            Restore(graph);
        foreach (var function in model.Functions)
            foreach (var node in function.Node)
                Restore(node);
    }

    void Restore(GraphProto graph)
    {
        foreach (var tensor in graph.Initializer)
            Restore(tensor);
        foreach (var sparse in graph.SparseInitializer)
            Restore(sparse);
        foreach (var node in graph.Node)
            Restore(node);
    }

    void Restore(NodeProto node)
    {
        foreach (var attribute in node.Attribute)
        {
            if (attribute.T is { } tensor)
                Restore(tensor);
            foreach (var t in attribute.Tensors)
                Restore(t);
            if (attribute.SparseTensor is { } sparse)
                Restore(sparse);
            foreach (var s in attribute.SparseTensors)
                Restore(s);
            if (attribute.G is { } subgraph)
                Restore(subgraph);
            foreach (var g in attribute.Graphs)
                Restore(g);
        }
    }

    void Restore(SparseTensorProto sparse)
    {
        if (sparse.Values is { } values)
            Restore(values);
        if (sparse.Indices is { } indices)
            Restore(indices);
    }

    void Restore(TensorProto tensor)
    {
        var raw = tensor.RawData.Span;
        if (raw.Length != MarkerBytes || BinaryPrimitives.ReadInt64LittleEndian(raw) != _nonce)
            return;
        var index = BinaryPrimitives.ReadInt64LittleEndian(raw[8..]);
        tensor.RawData = UnsafeByteOperations.UnsafeWrap(_slices[(int)index]);
    }

    bool Walk(ReadOnlySpan<byte> message, int fileOffset, Kind kind, IBufferWriter<byte> output)
    {
        var position = 0;
        while (position < message.Length)
        {
            var fieldStart = position;
            if (!TryReadVarint(message, ref position, out var key))
                return false;
            var fieldKey = message[fieldStart..position];
            var field = (int)(key >> 3);
            switch ((int)(key & 7))
            {
                case 0:
                    if (!TryReadVarint(message, ref position, out _))
                        return false;
                    break;
                case 1:
                    position += 8;
                    break;
                case 5:
                    position += 4;
                    break;
                case 2:
                    if (!TryReadVarint(message, ref position, out var length) || length > (ulong)(message.Length - position))
                        return false;
                    var payloadStart = position;
                    position += (int)length;
                    var child = ChildKind(kind, field);
                    if (kind == Kind.Tensor && field == 9 && length >= MinimumSplitBytes)
                    {
                        WriteMarker(fileOffset + payloadStart, (int)length, fieldKey, output);
                        continue;
                    }
                    if (child is { } childKind)
                    {
                        // Sized for the remainder, not the payload: most of a graph's bytes are the weights left behind.
                        var nested = new ArrayBufferWriter<byte>((int)Math.Min(length + 16, 4096));
                        if (!Walk(message.Slice(payloadStart, (int)length), fileOffset + payloadStart, childKind, nested))
                            return false;
                        output.Write(fieldKey);
                        WriteVarint((ulong)nested.WrittenCount, output);
                        output.Write(nested.WrittenSpan);
                        continue;
                    }
                    break;
                default:
                    return false;
            }
            if (position > message.Length)
                return false;
            output.Write(message[fieldStart..position]);
        }
        return true;
    }

    void WriteMarker(int fileOffset, int length, ReadOnlySpan<byte> fieldKey, IBufferWriter<byte> output)
    {
        output.Write(fieldKey);
        WriteVarint(MarkerBytes, output);
        Span<byte> marker = stackalloc byte[MarkerBytes];
        BinaryPrimitives.WriteInt64LittleEndian(marker, _nonce);
        BinaryPrimitives.WriteInt64LittleEndian(marker[8..], _slices.Count);
        output.Write(marker);
        _slices.Add(_file.AsMemory(fileOffset, length));
    }

    static Kind? ChildKind(Kind parent, int field) => (parent, field) switch
    {
        (Kind.Model, 7) => Kind.Graph,
        (Kind.Model, 25) => Kind.Function,
        (Kind.Graph, 1) or (Kind.Function, 7) => Kind.Node,
        (Kind.Graph, 5) => Kind.Tensor,
        (Kind.Graph, 15) => Kind.SparseTensor,
        (Kind.Node, 5) => Kind.Attribute,
        (Kind.Attribute, 5) or (Kind.Attribute, 10) => Kind.Tensor,
        (Kind.Attribute, 6) or (Kind.Attribute, 11) => Kind.Graph,
        (Kind.Attribute, 22) or (Kind.Attribute, 23) => Kind.SparseTensor,
        (Kind.SparseTensor, 1) or (Kind.SparseTensor, 2) => Kind.Tensor,
        _ => null,
    };

    static bool TryReadVarint(ReadOnlySpan<byte> data, ref int position, out ulong value)
    {
        value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (position >= data.Length)
                return false;
            var b = data[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
                return true;
        }
        return false;
    }

    static void WriteVarint(ulong value, IBufferWriter<byte> output)
    {
        Span<byte> buffer = stackalloc byte[10];
        var count = 0;
        while (value >= 0x80)
        {
            buffer[count++] = (byte)(value | 0x80);
            value >>= 7;
        }
        buffer[count++] = (byte)value;
        output.Write(buffer[..count]);
    }
}
