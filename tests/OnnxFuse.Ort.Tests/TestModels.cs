using System.Text;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;

namespace OnnxFuse.Ort.Tests;

/// <summary>
/// Tiny ONNX models serialized by hand, so session tests need neither binary fixtures nor the ONNX exporter:
/// a few protobuf fields (ModelProto → GraphProto → NodeProto, ValueInfoProto) written with their field numbers.
/// </summary>
static class TestModels
{
    /// <summary><c>y = Identity(x)</c> at opset 13, with <c>x</c> and <c>y</c> of <paramref name="elementType"/> and <paramref name="shape"/>.</summary>
    public static byte[] Identity(ElementType elementType, Shape shape) =>
        Model(Graph("identity",
            nodes: [Node("Identity", ["x"], ["y"])],
            inputs: [ValueInfo("x", elementType, shape)],
            outputs: [ValueInfo("y", elementType, shape)]));

    /// <summary><c>sum = Add(a, b)</c>, <c>product = Mul(a, b)</c> on float tensors of <paramref name="shape"/>.</summary>
    public static byte[] AddAndMul(Shape shape) =>
        Model(Graph("add_and_mul",
            nodes: [Node("Add", ["a", "b"], ["sum"]), Node("Mul", ["a", "b"], ["product"])],
            inputs: [ValueInfo("a", ElementType.Float, shape), ValueInfo("b", ElementType.Float, shape)],
            outputs: [ValueInfo("sum", ElementType.Float, shape), ValueInfo("product", ElementType.Float, shape)]));

    static byte[] Model(byte[] graph)
    {
        var model = new ProtoWriter();
        model.Varint(1, 8); // ir_version
        model.Message(8, new ProtoWriter().String(1, "").Varint(2, 13)); // opset_import { domain: "", version: 13 }
        model.String(2, "OnnxFuse.Ort.Tests");
        model.Bytes(7, graph);
        return model.ToArray();
    }

    static byte[] Graph(string name, byte[][] nodes, byte[][] inputs, byte[][] outputs)
    {
        var graph = new ProtoWriter();
        foreach (var node in nodes)
            graph.Bytes(1, node);
        graph.String(2, name);
        foreach (var input in inputs)
            graph.Bytes(11, input);
        foreach (var output in outputs)
            graph.Bytes(12, output);
        return graph.ToArray();
    }

    static byte[] Node(string opType, string[] inputs, string[] outputs)
    {
        var node = new ProtoWriter();
        foreach (var input in inputs)
            node.String(1, input);
        foreach (var output in outputs)
            node.String(2, output);
        node.String(4, opType);
        return node.ToArray();
    }

    static byte[] ValueInfo(string name, ElementType elementType, Shape shape)
    {
        var dims = new ProtoWriter();
        foreach (var dim in shape)
        {
            var d = new ProtoWriter();
            if (dim.Value is { } size)
                d.Varint(1, (ulong)size);
            else if (dim.Param is { } param)
                d.String(2, param);
            dims.Message(1, d);
        }
        var tensorType = new ProtoWriter().Varint(1, (ulong)elementType).Message(2, dims);
        var type = new ProtoWriter().Message(1, tensorType);
        return new ProtoWriter().String(1, name).Message(2, type).ToArray();
    }

    sealed class ProtoWriter
    {
        readonly List<byte> _bytes = [];

        public ProtoWriter Varint(int field, ulong value)
        {
            Key(field, 0);
            Raw(value);
            return this;
        }

        public ProtoWriter String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

        public ProtoWriter Message(int field, ProtoWriter message) => Bytes(field, message.ToArray());

        public ProtoWriter Bytes(int field, byte[] value)
        {
            Key(field, 2);
            Raw((ulong)value.Length);
            _bytes.AddRange(value);
            return this;
        }

        public byte[] ToArray() => [.. _bytes];

        void Key(int field, int wireType) => Raw((ulong)((field << 3) | wireType));

        void Raw(ulong value)
        {
            while (value >= 0x80)
            {
                _bytes.Add((byte)(value | 0x80));
                value >>= 7;
            }
            _bytes.Add((byte)value);
        }
    }
}
