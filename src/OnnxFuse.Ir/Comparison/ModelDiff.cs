using System.Globalization;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;
using OnnxFuse.Ir.Types;

namespace OnnxFuse.Ir.Comparison;

/// <summary>
/// Semantic comparison of two models: header fields, opsets, metadata, functions and graphs (inputs, outputs,
/// initializers by name and content, nodes in order with their attributes and subgraphs, and value types where
/// both sides know them). Value identity and tensor names are ignored; names of values are compared.
/// </summary>
public static class ModelDiff
{
    /// <summary>
    /// Null when the models are equal; otherwise one line locating the first difference, such as
    /// <c>graph/node[12] 'Conv_3' attribute 'pads': [1,1,1,1] vs [0,0,0,0]</c>.
    /// </summary>
    public static string? FirstDifference(Model a, Model b) =>
        Compare("ir_version", a.IrVersion, b.IrVersion)
        ?? Compare("producer_name", a.ProducerName, b.ProducerName)
        ?? Compare("producer_version", a.ProducerVersion, b.ProducerVersion)
        ?? Compare("domain", a.Domain, b.Domain)
        ?? Compare("model_version", a.ModelVersion, b.ModelVersion)
        ?? Compare("doc_string", a.DocString ?? "", b.DocString ?? "")
        ?? CompareOpsets("opset_import", a.OpsetImports, b.OpsetImports)
        ?? CompareMetadata("metadata", a.MetadataProps, b.MetadataProps)
        ?? CompareTrainingInfo(a.OpaqueTrainingInfo, b.OpaqueTrainingInfo)
        ?? CompareFunctions(a.Functions, b.Functions)
        ?? CompareGraphs("graph", a.Graph, b.Graph);

    /// <summary>Null when the graphs are equal (see <see cref="FirstDifference"/>); otherwise where they first differ.</summary>
    public static string? GraphDifference(Graph a, Graph b) => CompareGraphs("graph", a, b);

    static string? Compare<T>(string path, T a, T b) => EqualityComparer<T>.Default.Equals(a, b) ? null : $"{path}: {Show(a)} vs {Show(b)}";

    static string? CompareOpsets(string path, OpsetImports a, OpsetImports b) =>
        a.SequenceEqual(b) ? null : $"{path}: {a} vs {b}";

    static string? CompareMetadata(string path, IDictionary<string, string> a, IDictionary<string, string> b)
    {
        if (a.Count != b.Count)
            return $"{path}: {a.Count} entries vs {b.Count}";
        foreach (var (key, value) in a)
        {
            if (!b.TryGetValue(key, out var other))
                return $"{path}: key '{key}' only in the first";
            if (value != other)
                return $"{path}['{key}']: \"{value}\" vs \"{other}\"";
        }
        return null;
    }

    static string? CompareTrainingInfo(IList<ReadOnlyMemory<byte>> a, IList<ReadOnlyMemory<byte>> b)
    {
        if (a.Count != b.Count)
            return $"training_info: {a.Count} records vs {b.Count}";
        for (var i = 0; i < a.Count; i++)
        {
            if (!a[i].Span.SequenceEqual(b[i].Span))
                return $"training_info[{i}]: contents differ";
        }
        return null;
    }

    static string? CompareFunctions(IList<FunctionDef> a, IList<FunctionDef> b)
    {
        if (a.Count != b.Count)
            return $"functions: {a.Count} vs {b.Count}";
        for (var i = 0; i < a.Count; i++)
        {
            var (fa, fb) = (a[i], b[i]);
            var path = $"functions[{i}] '{fa.Name}'";
            var difference = Compare($"{path} domain", fa.Domain, fb.Domain)
                ?? Compare($"{path} name", fa.Name, fb.Name)
                ?? Compare($"{path} overload", fa.Overload, fb.Overload)
                ?? Compare($"{path} doc_string", fa.DocString ?? "", fb.DocString ?? "")
                ?? Compare($"{path} attributes", string.Join(',', fa.AttributeNames), string.Join(',', fb.AttributeNames))
                ?? CompareAttributes($"{path}", fa.AttributeDefaults, fb.AttributeDefaults)
                ?? CompareOpsets($"{path} opset_import", fa.OpsetImports, fb.OpsetImports)
                ?? CompareMetadata($"{path} metadata", fa.MetadataProps, fb.MetadataProps)
                ?? CompareGraphs($"{path}/body", fa.Body, fb.Body);
            if (difference is not null)
                return difference;
        }
        return null;
    }

    static string? CompareGraphs(string path, Graph a, Graph b)
    {
        var difference = Compare($"{path} name", a.Name, b.Name)
            ?? Compare($"{path} doc_string", a.DocString ?? "", b.DocString ?? "")
            ?? CompareMetadata($"{path} metadata", a.MetadataProps, b.MetadataProps)
            ?? CompareValueLists($"{path}/input", a.Inputs, b.Inputs)
            ?? CompareValueLists($"{path}/output", a.Outputs, b.Outputs)
            ?? CompareInitializers(path, a, b)
            ?? CompareNodes(path, a, b)
            ?? CompareValueTypes(path, a, b)
            ?? CompareQuantization(path, a, b);
        return difference;
    }

    static string? CompareValueLists(string path, List<Value> a, List<Value> b)
    {
        if (a.Count != b.Count)
            return $"{path}: {a.Count} values vs {b.Count} ({Names(a)} vs {Names(b)})";
        for (var i = 0; i < a.Count; i++)
        {
            if (a[i].Name != b[i].Name)
                return $"{path}[{i}]: '{a[i].Name}' vs '{b[i].Name}'";
            if (CompareTypes($"{path}[{i}] '{a[i].Name}' type", a[i].Type, b[i].Type) is { } difference)
                return difference;
        }
        return null;
    }

    static string? CompareTypes(string path, OnnxType? a, OnnxType? b) =>
        a is null || b is null || a.Equals(b) ? null : $"{path}: {a} vs {b}";

    static string? CompareInitializers(string path, Graph a, Graph b)
    {
        if (a.Initializers.Count != b.Initializers.Count)
            return $"{path}/initializer: {a.Initializers.Count} vs {b.Initializers.Count}";
        var others = b.Initializers.ToDictionary(v => v.Name, StringComparer.Ordinal);
        foreach (var value in a.Initializers)
        {
            var where = $"{path}/initializer '{value.Name}'";
            if (!others.TryGetValue(value.Name, out var other))
                return $"{where}: missing from the second";
            if (value.Initializer is { } dense)
            {
                if (other.Initializer is not { } otherDense)
                    return $"{where}: dense vs sparse";
                if (!dense.ContentEquals(otherDense))
                    return $"{where}: {Show(dense)} vs {Show(otherDense)}";
            }
            else if (value.SparseInitializer is { } sparse)
            {
                if (other.SparseInitializer is not { } otherSparse)
                    return $"{where}: sparse vs dense";
                if (!sparse.ContentEquals(otherSparse))
                    return $"{where}: sparse contents differ";
            }
        }
        return null;
    }

    static string? CompareNodes(string path, Graph a, Graph b)
    {
        if (a.Nodes.Count != b.Nodes.Count)
            return $"{path}/node: {a.Nodes.Count} nodes vs {b.Nodes.Count}";
        for (var i = 0; i < a.Nodes.Count; i++)
        {
            var (na, nb) = (a.Nodes[i], b.Nodes[i]);
            var where = $"{path}/node[{i}] '{na.Name}'";
            var difference = Compare($"{where} op_type", na.OpType, nb.OpType)
                ?? Compare($"{where} domain", OpsetImports.Normalize(na.Domain), OpsetImports.Normalize(nb.Domain))
                ?? Compare($"{where} name", na.Name, nb.Name)
                ?? Compare($"{where} overload", na.Overload, nb.Overload)
                ?? Compare($"{where} doc_string", na.DocString ?? "", nb.DocString ?? "")
                ?? Compare($"{where} inputs", NullableNames(na.Inputs), NullableNames(nb.Inputs))
                ?? Compare($"{where} outputs", NullableNames(na.Outputs), NullableNames(nb.Outputs))
                ?? CompareMetadata($"{where} metadata", na.MetadataProps, nb.MetadataProps)
                ?? CompareAttributes(where, na.Attributes, nb.Attributes);
            if (difference is not null)
                return difference;
        }
        return null;
    }

    static string? CompareAttributes(string where, IList<Attr> a, IList<Attr> b) =>
        CompareAttributes(where, (IReadOnlyList<Attr>)[.. a], [.. b]);

    static string? CompareAttributes(string where, IReadOnlyList<Attr> a, IReadOnlyList<Attr> b)
    {
        if (a.Count != b.Count)
            return $"{where} attributes: {string.Join(',', a.Select(x => x.Name))} vs {string.Join(',', b.Select(x => x.Name))}";
        for (var i = 0; i < a.Count; i++)
        {
            var (aa, ab) = (a[i], b[i]);
            var at = $"{where} attribute '{aa.Name}'";
            var difference = Compare($"{where} attribute[{i}] name", aa.Name, ab.Name)
                ?? Compare($"{at} kind", aa.Kind, ab.Kind)
                ?? Compare($"{at} ref_attr_name", aa.RefAttrName ?? "", ab.RefAttrName ?? "")
                ?? Compare($"{at} doc_string", aa.DocString ?? "", ab.DocString ?? "")
                ?? ComparePayloads(at, aa.Payload, ab.Payload);
            if (difference is not null)
                return difference;
        }
        return null;
    }

    static string? ComparePayloads(string at, object? a, object? b)
    {
        switch (a, b)
        {
            case (null, null):
                return null;
            case (Graph ga, Graph gb):
                return CompareGraphs($"{at}/graph", ga, gb);
            case (Graph[] gas, Graph[] gbs):
                if (gas.Length != gbs.Length)
                    return $"{at}: {gas.Length} graphs vs {gbs.Length}";
                for (var i = 0; i < gas.Length; i++)
                {
                    if (CompareGraphs($"{at}/graph[{i}]", gas[i], gbs[i]) is { } difference)
                        return difference;
                }
                return null;
            case (TensorData ta, TensorData tb):
                return ta.ContentEquals(tb) ? null : $"{at}: {Show(ta)} vs {Show(tb)}";
            case (TensorData[] tas, TensorData[] tbs):
                return tas.Length == tbs.Length && tas.Zip(tbs).All(p => p.First.ContentEquals(p.Second))
                    ? null
                    : $"{at}: tensors differ";
            case (SparseTensorData sa, SparseTensorData sb):
                return sa.ContentEquals(sb) ? null : $"{at}: sparse tensors differ";
            case (SparseTensorData[] sas, SparseTensorData[] sbs):
                return sas.Length == sbs.Length && sas.Zip(sbs).All(p => p.First.ContentEquals(p.Second))
                    ? null
                    : $"{at}: sparse tensors differ";
            case (float fa, float fb):
                return BitConverter.SingleToInt32Bits(fa) == BitConverter.SingleToInt32Bits(fb) ? null : $"{at}: {Show(fa)} vs {Show(fb)}";
            case (float[] fas, float[] fbs):
                return fas.AsSpan().SequenceEqual(fbs) ? null : $"{at}: {Show(fas)} vs {Show(fbs)}";
            case (long[] las, long[] lbs):
                return las.AsSpan().SequenceEqual(lbs) ? null : $"{at}: {Show(las)} vs {Show(lbs)}";
            case (string[] sas, string[] sbs):
                return sas.SequenceEqual(sbs, StringComparer.Ordinal) ? null : $"{at}: {Show(sas)} vs {Show(sbs)}";
            case (OnnxType[] tas, OnnxType[] tbs):
                return tas.SequenceEqual(tbs) ? null : $"{at}: types differ";
            default:
                return Equals(a, b) ? null : $"{at}: {Show(a)} vs {Show(b)}";
        }
    }

    static string? CompareValueTypes(string path, Graph a, Graph b)
    {
        foreach (var value in a.DeclaredValues)
        {
            if (value.Type is null || b.FindDeclared(value.Name) is not { Type: { } otherType })
                continue;
            if (CompareTypes($"{path}/value '{value.Name}' type", value.Type, otherType) is { } difference)
                return difference;
        }
        return null;
    }

    static string? CompareQuantization(string path, Graph a, Graph b)
    {
        static string Flatten(Graph g) => string.Join(';', g.QuantizationAnnotations.Select(
            p => $"{p.Key}:{string.Join(',', p.Value.Select(e => $"{e.Key}={e.Value}"))}"));
        return Compare($"{path} quantization_annotation", Flatten(a), Flatten(b));
    }

    static string Names(IEnumerable<Value> values) => $"[{string.Join(',', values.Select(v => v.Name))}]";

    static string NullableNames(IEnumerable<Value?> values) => $"[{string.Join(',', values.Select(v => v?.Name ?? ""))}]";

    static string Show(object? value) => value switch
    {
        null => "null",
        string s => $"\"{s}\"",
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        float[] fs => $"[{string.Join(',', fs.Select(f => f.ToString("R", CultureInfo.InvariantCulture)))}]",
        long[] ls => $"[{string.Join(',', ls)}]",
        string[] ss => $"[{string.Join(',', ss.Select(s => $"\"{s}\""))}]",
        TensorData t => t.ToString(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
