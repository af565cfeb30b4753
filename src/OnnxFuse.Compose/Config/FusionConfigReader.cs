using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace OnnxFuse.Compose.Config;

/// <summary>
/// Reads a <see cref="FusionConfig"/> from YAML. Every unknown key and bad value is a <see cref="FusionException"/>
/// whose message starts with <c>file:line:</c> and names the key.
/// </summary>
public static class FusionConfigReader
{
    static readonly string[] s_globalKeys = ["mode", "output", "index_name", "share_input", "budget", "prefix", "models"];
    static readonly string[] s_modelKeys = ["path", "name", "prefix", "input_shapes"];

    public static FusionConfig Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new FusionException($"{path}: cannot read the fusion config ({e.Message})", e);
        }
        return Parse(text, path, Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    /// <summary>Parses <paramref name="yaml"/>; <paramref name="sourceName"/> prefixes errors and relative paths resolve against <paramref name="baseFolder"/>.</summary>
    public static FusionConfig Parse(string yaml, string sourceName, string baseFolder)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new FusionException($"{sourceName}:{e.Start.Line}: not valid YAML ({e.Message})", e);
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new FusionException($"{sourceName}: the fusion config must be a mapping with a 'models' list");

        var reader = new Reader(sourceName);
        var options = new FusionOptions();
        string? output = null;
        var models = new List<FusionConfigModel>();
        foreach (var (keyNode, value) in root.Children)
        {
            var key = reader.Key(keyNode, s_globalKeys, "the config");
            switch (key)
            {
                case "mode":
                    options = options with
                    {
                        Mode = reader.Scalar(value, key) switch
                        {
                            "parallel" => FusionMode.Parallel,
                            "switched" => FusionMode.Switched,
                            var other => throw reader.Error(value, $"'mode' must be parallel or switched, not '{other}'"),
                        },
                    };
                    break;
                case "output":
                    output = Path.GetFullPath(Path.Combine(baseFolder, reader.Scalar(value, key)));
                    break;
                case "index_name":
                    options = options with { IndexName = reader.Scalar(value, key) };
                    break;
                case "share_input":
                    options = options with { ShareInput = reader.Boolean(value, key) };
                    break;
                case "budget":
                    var size = reader.Scalar(value, key);
                    options = options with
                    {
                        MemoryBudgetBytes = ByteSize.TryParse(size, out var bytes)
                            ? bytes
                            : throw reader.Error(value, $"'budget' must be a size such as 512, 64MB or 1.5GiB, not '{size}'"),
                    };
                    break;
                case "prefix":
                    options = options with
                    {
                        Prefix = reader.Scalar(value, key) switch
                        {
                            "index" => PrefixScheme.Index,
                            "name" => PrefixScheme.ModelName,
                            var other => throw reader.Error(value, $"'prefix' must be index or name, not '{other}'"),
                        },
                    };
                    break;
                default:
                    if (value is not YamlSequenceNode list)
                        throw reader.Error(value, "'models' must be a list of model entries");
                    models.AddRange(list.Children.Select((entry, i) => ReadModel(reader, entry, i, baseFolder)));
                    break;
            }
        }
        if (models.Count == 0)
            throw new FusionException($"{sourceName}: the config lists no models (add a 'models' list)");
        var prefixed = models.Count(m => m.Prefix is not null);
        if (prefixed != 0 && prefixed != models.Count)
            throw new FusionException($"{sourceName}: give 'prefix' for every model or for none ({prefixed} of {models.Count} have one)");
        if (prefixed == models.Count)
            options = options with { Prefixes = [.. models.Select(m => m.Prefix!)] };
        return new FusionConfig(output, options, models);
    }

    static FusionConfigModel ReadModel(Reader reader, YamlNode entry, int index, string baseFolder)
    {
        var where = $"models[{index}]";
        if (entry is not YamlMappingNode mapping)
            throw reader.Error(entry, $"{where} must be a mapping with at least 'path'");
        string? path = null, name = null, prefix = null;
        var shapes = new Dictionary<string, long[]>(StringComparer.Ordinal);
        foreach (var (keyNode, value) in mapping.Children)
        {
            var key = reader.Key(keyNode, s_modelKeys, where);
            switch (key)
            {
                case "path":
                    path = Path.GetFullPath(Path.Combine(baseFolder, reader.Scalar(value, $"{where}.path")));
                    break;
                case "name":
                    name = reader.Scalar(value, $"{where}.name");
                    break;
                case "prefix":
                    prefix = reader.Scalar(value, $"{where}.prefix");
                    break;
                default:
                    if (value is not YamlMappingNode inputs)
                        throw reader.Error(value, $"{where}.input_shapes must map input names to dimension lists");
                    foreach (var (inputName, dims) in inputs.Children)
                        shapes[reader.Scalar(inputName, $"{where}.input_shapes")] = reader.Dims(dims, $"{where}.input_shapes.{inputName}");
                    break;
            }
        }
        return path is null
            ? throw reader.Error(entry, $"{where} has no 'path'")
            : new FusionConfigModel(path, name, prefix, shapes);
    }

    /// <summary>Typed access to YAML nodes with errors that carry the file and line.</summary>
    sealed class Reader(string sourceName)
    {
        public FusionException Error(YamlNode node, string problem) => new($"{sourceName}:{node.Start.Line}: {problem}");

        public string Key(YamlNode node, string[] allowed, string where)
        {
            var key = Scalar(node, where);
            return allowed.Contains(key)
                ? key
                : throw Error(node, $"unknown key '{key}' in {where} (expected {string.Join(", ", allowed)})");
        }

        public string Scalar(YamlNode node, string key) =>
            node is YamlScalarNode { Value: { Length: > 0 } value } ? value : throw Error(node, $"'{key}' needs a value");

        public bool Boolean(YamlNode node, string key) => Scalar(node, key) switch
        {
            "true" or "True" or "yes" => true,
            "false" or "False" or "no" => false,
            var other => throw Error(node, $"'{key}' must be true or false, not '{other}'"),
        };

        public long[] Dims(YamlNode node, string key)
        {
            if (node is not YamlSequenceNode list)
                throw Error(node, $"'{key}' must be a list of dimensions such as [1, 3, 224, 224]");
            return [.. list.Children.Select(d => long.TryParse(Scalar(d, key), NumberStyles.None, CultureInfo.InvariantCulture, out var v)
                ? v
                : throw Error(d, $"'{key}' holds '{Scalar(d, key)}', which is not a dimension size"))];
        }
    }
}
