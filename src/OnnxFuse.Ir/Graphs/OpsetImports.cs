using System.Collections;

namespace OnnxFuse.Ir.Graphs;

/// <summary>
/// Operator-set versions imported per domain, in file order. The default domain is stored as "";
/// "ai.onnx" is accepted as its alias.
/// </summary>
public sealed class OpsetImports : IEnumerable<KeyValuePair<string, long>>
{
    readonly OrderedDictionary<string, long> _versions = new(StringComparer.Ordinal);

    public static string Normalize(string domain) => domain == "ai.onnx" ? "" : domain;

    public int Count => _versions.Count;

    /// <summary>Version for <paramref name="domain"/>, or null when it is not imported.</summary>
    public long? this[string domain]
    {
        get => _versions.TryGetValue(Normalize(domain), out var v) ? v : null;
        set
        {
            if (value is null)
                _versions.Remove(Normalize(domain));
            else
                _versions[Normalize(domain)] = value.Value;
        }
    }

    /// <summary>The default domain's version (0 when none is imported).</summary>
    public long Default => this[""] ?? 0;

    public bool Contains(string domain) => _versions.ContainsKey(Normalize(domain));

    public OpsetImports Clone()
    {
        var copy = new OpsetImports();
        foreach (var (domain, version) in _versions)
            copy._versions.Add(domain, version);
        return copy;
    }

    public IEnumerator<KeyValuePair<string, long>> GetEnumerator() => _versions.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public override string ToString() => string.Join(", ", _versions.Select(p => $"{(p.Key == "" ? "ai.onnx" : p.Key)}:{p.Value}"));
}
