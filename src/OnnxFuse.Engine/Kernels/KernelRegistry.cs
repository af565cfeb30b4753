using OnnxFuse.Ir.Graphs;

namespace OnnxFuse.Engine.Kernels;

/// <summary>
/// Kernel factories by (domain, operator type), each valid for a range of opset versions.
/// The default registry is built once by <see cref="DefaultKernels"/>.
/// </summary>
sealed class KernelRegistry
{
    readonly Dictionary<(string Domain, string OpType), List<Entry>> _entries = [];

    public static KernelRegistry Default { get; } = DefaultKernels.Create();

    public void Register(string domain, string opType, KernelFactory factory, int sinceVersion = 1, int untilVersion = int.MaxValue)
    {
        var key = (OpsetImports.Normalize(domain), opType);
        if (!_entries.TryGetValue(key, out var list))
            _entries[key] = list = [];
        list.Add(new Entry(sinceVersion, untilVersion, factory));
    }

    /// <summary>Registers an ONNX default-domain operator.</summary>
    public void Register(string opType, KernelFactory factory, int sinceVersion = 1) => Register("", opType, factory, sinceVersion);

    /// <summary>The factory for that operator at <paramref name="opset"/>, or null when none covers it.</summary>
    public KernelFactory? Find(string domain, string opType, long opset)
    {
        if (!_entries.TryGetValue((OpsetImports.Normalize(domain), opType), out var list))
            return null;
        foreach (var entry in list)
            if (opset >= entry.SinceVersion && opset <= entry.UntilVersion)
                return entry.Factory;
        return null;
    }

    /// <summary>A registry with the same operators and opset ranges, each factory replaced by <paramref name="map"/>'s result.</summary>
    public KernelRegistry Select(Func<KernelFactory, KernelFactory> map)
    {
        var mapped = new KernelRegistry();
        foreach (var (key, list) in _entries)
            mapped._entries[key] = [.. list.Select(e => e with { Factory = map(e.Factory) })];
        return mapped;
    }

    /// <summary>Every registered (domain, operator type), for listings.</summary>
    public IEnumerable<(string Domain, string OpType)> Operators => _entries.Keys;

    sealed record Entry(int SinceVersion, int UntilVersion, KernelFactory Factory);
}
