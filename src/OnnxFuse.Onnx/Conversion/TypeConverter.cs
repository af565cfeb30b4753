using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;
using OnnxFuse.Onnx.Protos;

namespace OnnxFuse.Onnx.Conversion;

/// <summary><c>TypeProto</c> ⇄ <see cref="OnnxType"/>, including shapes with symbolic and unknown dimensions.</summary>
static class TypeConverter
{
    /// <summary>The IR type, or null when the proto sets no type (ONNX allows untyped value infos).</summary>
    public static OnnxType? ToIr(TypeProto? proto, LoadContext context, string what)
    {
        if (proto is null)
            return null;
        OnnxType? type = proto.ValueCase switch
        {
            TypeProto.ValueOneofCase.TensorType =>
                new TensorType(Element(proto.TensorType.ElemType), ShapeToIr(proto.TensorType.Shape)),
            TypeProto.ValueOneofCase.SparseTensorType =>
                new SparseTensorType(Element(proto.SparseTensorType.ElemType), ShapeToIr(proto.SparseTensorType.Shape)),
            TypeProto.ValueOneofCase.SequenceType => new SequenceType(ToIr(proto.SequenceType.ElemType, context, what)),
            TypeProto.ValueOneofCase.MapType => new MapType(Element(proto.MapType.KeyType), ToIr(proto.MapType.ValueType, context, what)),
            TypeProto.ValueOneofCase.OptionalType => new OptionalType(ToIr(proto.OptionalType.ElemType, context, what)),
            _ => null,
        };
        return type is not null && proto.Denotation.Length > 0 ? type with { Denotation = proto.Denotation } : type;

        ElementType Element(int elemType) => elemType == 0 || ElementTypes.IsKnown(elemType)
            ? (ElementType)elemType
            : context.Fail<ElementType>($"{what} has unknown element type {elemType}");
    }

    public static TypeProto ToProto(OnnxType type)
    {
        var proto = type switch
        {
            TensorType t => new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)t.ElementType, Shape = ShapeToProto(t.Shape) } },
            SparseTensorType t => new TypeProto
            {
                SparseTensorType = new TypeProto.Types.SparseTensor { ElemType = (int)t.ElementType, Shape = ShapeToProto(t.Shape) },
            },
            SequenceType s => new TypeProto { SequenceType = new TypeProto.Types.Sequence { ElemType = OrNull(s.ElementType) } },
            MapType m => new TypeProto { MapType = new TypeProto.Types.Map { KeyType = (int)m.KeyType, ValueType = OrNull(m.ValueType) } },
            OptionalType o => new TypeProto { OptionalType = new TypeProto.Types.Optional { ElemType = OrNull(o.ElementType) } },
            _ => throw new ArgumentException($"unknown type {type}", nameof(type)),
        };
        if (type.Denotation is { Length: > 0 } denotation)
            proto.Denotation = denotation;
        return proto;

        static TypeProto? OrNull(OnnxType? inner) => inner is null ? null : ToProto(inner);
    }

    static Shape? ShapeToIr(TensorShapeProto? shape) => shape is null
        ? null
        : new Shape(shape.Dim.Select(d => new Dim(
            d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue ? d.DimValue : null,
            d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam ? d.DimParam : null,
            d.Denotation.Length > 0 ? d.Denotation : null)));

    static TensorShapeProto? ShapeToProto(Shape? shape)
    {
        if (shape is null)
            return null;
        var proto = new TensorShapeProto();
        foreach (var dim in shape)
        {
            var d = new TensorShapeProto.Types.Dimension();
            if (dim.Value is { } value)
                d.DimValue = value;
            else if (dim.Param is not null)
                d.DimParam = dim.Param;
            if (dim.Denotation is { Length: > 0 } denotation)
                d.Denotation = denotation;
            proto.Dim.Add(d);
        }
        return proto;
    }
}
