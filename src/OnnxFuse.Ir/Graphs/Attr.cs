using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;

namespace OnnxFuse.Ir.Graphs;

/// <summary>
/// A node attribute: a name, a <see cref="AttrKind"/> and exactly one payload of that kind.
/// Immutable except for graph payloads, which are the node's subgraphs and are edited in place.
/// A function body's attribute may instead refer to one of the function's own attributes (<see cref="RefAttrName"/>).
/// </summary>
public sealed class Attr
{
    Attr(string name, AttrKind kind, object? payload)
    {
        Name = name;
        Kind = kind;
        Payload = payload;
    }

    public string Name { get; }

    public AttrKind Kind { get; }

    /// <summary>The value: float, long, string, TensorData, Graph, SparseTensorData, OnnxType, or an array of one of those.</summary>
    public object? Payload { get; }

    /// <summary>In a function body: the name of the caller's attribute this one takes its value from.</summary>
    public string? RefAttrName { get; init; }

    public string? DocString { get; init; }

    public float AsFloat() => Get<float>(AttrKind.Float);

    public long AsInt() => Get<long>(AttrKind.Int);

    public string AsString() => Get<string>(AttrKind.String);

    public TensorData AsTensor() => Get<TensorData>(AttrKind.Tensor);

    public Graph AsGraph() => Get<Graph>(AttrKind.Graph);

    public SparseTensorData AsSparseTensor() => Get<SparseTensorData>(AttrKind.SparseTensor);

    public OnnxType AsType() => Get<OnnxType>(AttrKind.TypeProto);

    public IReadOnlyList<float> AsFloats() => Get<float[]>(AttrKind.Floats);

    public IReadOnlyList<long> AsInts() => Get<long[]>(AttrKind.Ints);

    public IReadOnlyList<string> AsStrings() => Get<string[]>(AttrKind.Strings);

    public IReadOnlyList<TensorData> AsTensors() => Get<TensorData[]>(AttrKind.Tensors);

    public IReadOnlyList<Graph> AsGraphs() => Get<Graph[]>(AttrKind.Graphs);

    public IReadOnlyList<SparseTensorData> AsSparseTensors() => Get<SparseTensorData[]>(AttrKind.SparseTensors);

    public IReadOnlyList<OnnxType> AsTypes() => Get<OnnxType[]>(AttrKind.TypeProtos);

    /// <summary>The subgraphs this attribute holds (one for Graph, several for Graphs, none otherwise).</summary>
    public IEnumerable<Graph> Subgraphs => Kind switch
    {
        AttrKind.Graph => [AsGraph()],
        AttrKind.Graphs => AsGraphs(),
        _ => [],
    };

    public static Attr Float(string name, float value) => new(name, AttrKind.Float, value);

    public static Attr Int(string name, long value) => new(name, AttrKind.Int, value);

    public static Attr String(string name, string value) => new(name, AttrKind.String, value);

    public static Attr Tensor(string name, TensorData value) => new(name, AttrKind.Tensor, value);

    public static Attr Graph(string name, Graph value) => new(name, AttrKind.Graph, value);

    public static Attr SparseTensor(string name, SparseTensorData value) => new(name, AttrKind.SparseTensor, value);

    public static Attr Type(string name, OnnxType value) => new(name, AttrKind.TypeProto, value);

    public static Attr Floats(string name, IEnumerable<float> values) => new(name, AttrKind.Floats, values.ToArray());

    public static Attr Ints(string name, IEnumerable<long> values) => new(name, AttrKind.Ints, values.ToArray());

    public static Attr Strings(string name, IEnumerable<string> values) => new(name, AttrKind.Strings, values.ToArray());

    public static Attr Tensors(string name, IEnumerable<TensorData> values) => new(name, AttrKind.Tensors, values.ToArray());

    public static Attr Graphs(string name, IEnumerable<Graph> values) => new(name, AttrKind.Graphs, values.ToArray());

    public static Attr SparseTensors(string name, IEnumerable<SparseTensorData> values) => new(name, AttrKind.SparseTensors, values.ToArray());

    public static Attr Types(string name, IEnumerable<OnnxType> values) => new(name, AttrKind.TypeProtos, values.ToArray());

    /// <summary>A function-body attribute whose value comes from the caller's attribute <paramref name="refAttrName"/>.</summary>
    public static Attr Reference(string name, AttrKind kind, string refAttrName) => new(name, kind, null) { RefAttrName = refAttrName };

    /// <summary>Same payload under another name.</summary>
    public Attr Renamed(string name) => new(name, Kind, Payload) { RefAttrName = RefAttrName, DocString = DocString };

    /// <summary>Same name and kind with the payload mapped (used by deep clone to swap subgraphs).</summary>
    public Attr WithPayload(object? payload) => new(Name, Kind, payload) { RefAttrName = RefAttrName, DocString = DocString };

    /// <summary>Same attribute with another doc string.</summary>
    public Attr WithDocString(string? docString) => new(Name, Kind, Payload) { RefAttrName = RefAttrName, DocString = docString };

    public override string ToString() => RefAttrName is not null ? $"{Name}=@{RefAttrName}" : $"{Name}={FormatPayload()}";

    string FormatPayload() => Payload switch
    {
        float f => f.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        long i => i.ToString(System.Globalization.CultureInfo.InvariantCulture),
        string s => $"\"{s}\"",
        float[] fs => $"[{string.Join(',', fs.Select(f => f.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))}]",
        long[] ints => $"[{string.Join(',', ints)}]",
        string[] ss => $"[{string.Join(',', ss.Select(s => $"\"{s}\""))}]",
        Graph g => $"<graph {g.Name}>",
        _ => Payload?.ToString() ?? "null",
    };

    T Get<T>(AttrKind kind)
    {
        if (Kind != kind || Payload is not T value)
            throw new InvalidOperationException($"attribute '{Name}' is {Kind}, not {kind}");
        return value;
    }
}
