using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace OnnxFuse.Passes.Quantization;

/// <summary>
/// Reads a <see cref="QuantizationConfig"/> from YAML: a list of entries (or a mapping whose <c>config_list</c> is
/// that list). Every unknown key, bad value and malformed fuse tuple is a <see cref="QuantizationConfigException"/>
/// whose message starts with <c>file:line:</c> and names the entry and key. Whether the fuse tuples fit the model is
/// checked when they are applied (<see cref="ModuleFusion"/>).
/// </summary>
public static class QuantizationConfigReader
{
    static readonly string[] s_entryKeys = ["op_names", "op_types", "target_names", "quant_dtype", "quant_scheme", "granularity", "fuse_names"];

    public static QuantizationConfig Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new QuantizationConfigException($"{path}: cannot read the quantization config ({e.Message})", e);
        }
        return Parse(text, path);
    }

    public static QuantizationConfig Parse(string yaml, string sourceName)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new QuantizationConfigException($"{sourceName}:{e.Start.Line}: not valid YAML ({e.Message})", e);
        }
        var root = stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
        if (root is YamlMappingNode mapping && mapping.Children.Count == 1 && mapping.Children.First().Key is YamlScalarNode { Value: "config_list" })
            root = mapping.Children.First().Value;
        if (root is not YamlSequenceNode list || list.Children.Count == 0)
            throw new QuantizationConfigException($"{sourceName}: the quantization config must be a non-empty list of entries (or 'config_list:' holding one)");
        return new QuantizationConfig([.. list.Children.Select((entry, i) => ReadEntry(entry, $"{sourceName}:{entry.Start.Line}: entries[{i}]"))]);
    }

    static QuantizationEntry ReadEntry(YamlNode node, string where)
    {
        if (node is not YamlMappingNode mapping)
            throw Error(where, "must be a mapping with op_names or op_types");
        var entry = new QuantizationEntry([], [], QuantizationTargets.Input | QuantizationTargets.Weight | QuantizationTargets.Output,
            QuantizedType.UInt8, QuantizationScheme.Affine, QuantizationGranularity.PerChannel, [])
        {
            Where = where,
        };
        foreach (var (keyNode, value) in mapping.Children)
        {
            var key = Scalar(keyNode, where, "key");
            var at = $"{where}.{key}";
            entry = key switch
            {
                "op_names" => entry with { OpNames = Strings(value, at) },
                "op_types" => entry with { OpTypes = Strings(value, at) },
                "target_names" => entry with { Targets = Strings(value, at).Aggregate(QuantizationTargets.None, (all, t) => all | Target(t, at)) },
                "quant_dtype" => entry with { ActivationType = Choose(value, at, ("int8", QuantizedType.Int8), ("uint8", QuantizedType.UInt8)) },
                "quant_scheme" => entry with { Scheme = Choose(value, at, ("affine", QuantizationScheme.Affine), ("symmetric", QuantizationScheme.Symmetric)) },
                "granularity" => entry with
                {
                    WeightGranularity = Choose(value, at, ("default", QuantizationGranularity.PerChannel), ("per-channel", QuantizationGranularity.PerChannel),
                        ("per-tensor", QuantizationGranularity.PerTensor)),
                },
                "fuse_names" => entry with { FuseNames = FuseTuples(value, at) },
                _ => throw Error(where, $"unknown key '{key}' (expected {string.Join(", ", s_entryKeys)})"),
            };
        }
        if (entry.OpNames.Count == 0 && entry.OpTypes.Count == 0)
            throw Error(where, "selects no ops: give op_names or op_types");
        return entry;
    }

    static List<IReadOnlyList<string>> FuseTuples(YamlNode node, string at)
    {
        if (node is not YamlSequenceNode list)
            throw Error(at, "must be a list of name tuples such as [[conv1, bn1, relu1]]");
        var tuples = new List<IReadOnlyList<string>>();
        foreach (var (tupleNode, i) in list.Children.Select((t, i) => (t, i)))
        {
            var tuple = Strings(tupleNode, $"{at}[{i}]");
            if (tuple.Count is < 2 or > 3)
                throw Error($"{at}[{i}]", $"({string.Join(", ", tuple)}) has {tuple.Count} names; a fuse tuple has 2 or 3 (op, batchnorm and/or activation)");
            tuples.Add(tuple);
        }
        return tuples;
    }

    static QuantizationTargets Target(string name, string at) => name switch
    {
        "_input_" => QuantizationTargets.Input,
        "weight" => QuantizationTargets.Weight,
        "bias" => QuantizationTargets.Bias,
        "_output_" => QuantizationTargets.Output,
        _ => throw Error(at, $"unknown target '{name}' (expected _input_, weight, bias, _output_)"),
    };

    static T Choose<T>(YamlNode node, string at, params (string Name, T Value)[] choices)
    {
        var text = Scalar(node, at, "value");
        foreach (var (name, value) in choices)
            if (name == text)
                return value;
        throw Error(at, $"must be one of {string.Join(", ", choices.Select(c => c.Name))}, not '{text}'");
    }

    static List<string> Strings(YamlNode node, string at) => node switch
    {
        YamlSequenceNode list => [.. list.Children.Select(n => Scalar(n, at, "name"))],
        YamlScalarNode => [Scalar(node, at, "name")],
        _ => throw Error(at, "must be a name or a list of names"),
    };

    static string Scalar(YamlNode node, string at, string what) =>
        node is YamlScalarNode { Value: { Length: > 0 } value } ? value : throw Error(at, $"needs a {what}");

    static QuantizationConfigException Error(string where, string problem) => new($"{where}: {problem}");
}
