using System.Text;
using Google.Protobuf;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Onnx.Protos;

namespace OnnxFuse.Onnx.Conversion;

/// <summary>
/// <c>AttributeProto</c> ⇄ <see cref="Attr"/> for every attribute kind. Subgraphs are handed to the caller's
/// delegates, because importing them needs the enclosing scope (see <see cref="GraphImporter"/>).
/// </summary>
static class AttributeConverter
{
    public static Attr ToIr(AttributeProto proto, LoadContext context, string what, Func<GraphProto, string, Graph> importSubgraph)
    {
        var where = $"{what} attribute '{proto.Name}'";
        if (proto.Type == AttributeProto.Types.AttributeType.Undefined || !Enum.IsDefined((AttrKind)proto.Type))
            context.Fail($"{where} has unknown attribute type {(int)proto.Type}");
        var kind = (AttrKind)proto.Type;
        var docString = proto.DocString.Length > 0 ? proto.DocString : null;
        if (proto.RefAttrName.Length > 0)
            return WithDoc(Attr.Reference(proto.Name, kind, proto.RefAttrName), docString);
        var attr = kind switch
        {
            AttrKind.Float => Attr.Float(proto.Name, proto.F),
            AttrKind.Int => Attr.Int(proto.Name, proto.I),
            AttrKind.String => Attr.String(proto.Name, proto.S.ToStringUtf8()),
            AttrKind.Tensor => Attr.Tensor(proto.Name, TensorConverter.ToIr(Required(proto.T), context, where)),
            AttrKind.Graph => Attr.Graph(proto.Name, importSubgraph(Required(proto.G), where)),
            AttrKind.SparseTensor => Attr.SparseTensor(proto.Name, SparseTensorConverter.ToIr(Required(proto.SparseTensor), context, where)),
            AttrKind.TypeProto => Attr.Type(proto.Name, TypeConverter.ToIr(Required(proto.Tp), context, where)
                ?? context.Fail<Ir.Types.OnnxType>($"{where} holds an empty type")),
            AttrKind.Floats => Attr.Floats(proto.Name, proto.Floats),
            AttrKind.Ints => Attr.Ints(proto.Name, proto.Ints),
            AttrKind.Strings => Attr.Strings(proto.Name, proto.Strings.Select(s => s.ToStringUtf8())),
            AttrKind.Tensors => Attr.Tensors(proto.Name, proto.Tensors.Select(t => TensorConverter.ToIr(t, context, where))),
            AttrKind.Graphs => Attr.Graphs(proto.Name, proto.Graphs.Select(g => importSubgraph(g, where)).ToArray()),
            AttrKind.SparseTensors => Attr.SparseTensors(proto.Name, proto.SparseTensors.Select(s => SparseTensorConverter.ToIr(s, context, where))),
            AttrKind.TypeProtos => Attr.Types(proto.Name, proto.TypeProtos.Select(t => TypeConverter.ToIr(t, context, where)
                ?? context.Fail<Ir.Types.OnnxType>($"{where} holds an empty type"))),
            _ => context.Fail<Attr>($"{where} has unknown attribute type {(int)proto.Type}"),
        };
        return WithDoc(attr, docString);

        T Required<T>(T? value) where T : class => value ?? context.Fail<T>($"{where} is {kind} but holds no value");
    }

    static Attr WithDoc(Attr attr, string? docString) => docString is null ? attr : attr.WithDocString(docString);

    public static AttributeProto ToProto(Attr attr, Func<Graph, GraphProto> exportGraph, ExternalDataWriter? externalData)
    {
        var proto = new AttributeProto { Name = attr.Name, Type = (AttributeProto.Types.AttributeType)attr.Kind };
        if (attr.DocString is { Length: > 0 } docString)
            proto.DocString = docString;
        if (attr.RefAttrName is not null)
        {
            proto.RefAttrName = attr.RefAttrName;
            return proto;
        }
        switch (attr.Kind)
        {
            case AttrKind.Float:
                proto.F = attr.AsFloat();
                break;
            case AttrKind.Int:
                proto.I = attr.AsInt();
                break;
            case AttrKind.String:
                proto.S = ByteString.CopyFrom(Encoding.UTF8.GetBytes(attr.AsString()));
                break;
            case AttrKind.Tensor:
                proto.T = TensorConverter.ToProto(attr.AsTensor(), attr.AsTensor().Name ?? "", externalData);
                break;
            case AttrKind.Graph:
                proto.G = exportGraph(attr.AsGraph());
                break;
            case AttrKind.SparseTensor:
                proto.SparseTensor = SparseTensorConverter.ToProto(attr.AsSparseTensor(), attr.AsSparseTensor().Values.Name ?? "");
                break;
            case AttrKind.TypeProto:
                proto.Tp = TypeConverter.ToProto(attr.AsType());
                break;
            case AttrKind.Floats:
                proto.Floats.AddRange(attr.AsFloats());
                break;
            case AttrKind.Ints:
                proto.Ints.AddRange(attr.AsInts());
                break;
            case AttrKind.Strings:
                proto.Strings.AddRange(attr.AsStrings().Select(s => ByteString.CopyFrom(Encoding.UTF8.GetBytes(s))));
                break;
            case AttrKind.Tensors:
                proto.Tensors.AddRange(attr.AsTensors().Select(t => TensorConverter.ToProto(t, t.Name ?? "", externalData)));
                break;
            case AttrKind.Graphs:
                proto.Graphs.AddRange(attr.AsGraphs().Select(exportGraph));
                break;
            case AttrKind.SparseTensors:
                proto.SparseTensors.AddRange(attr.AsSparseTensors().Select(s => SparseTensorConverter.ToProto(s, s.Values.Name ?? "")));
                break;
            case AttrKind.TypeProtos:
                proto.TypeProtos.AddRange(attr.AsTypes().Select(TypeConverter.ToProto));
                break;
            default:
                throw new ArgumentException($"attribute '{attr.Name}' has kind {attr.Kind}, which ONNX cannot store", nameof(attr));
        }
        return proto;
    }
}
