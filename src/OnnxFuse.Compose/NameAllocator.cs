namespace OnnxFuse.Compose;

/// <summary>Hands out value names that no model in the fusion uses: the wanted name, else it with <c>_1</c>, <c>_2</c>…</summary>
sealed class NameAllocator(IEnumerable<string> taken)
{
    readonly HashSet<string> _taken = new(taken, StringComparer.Ordinal);

    public bool IsTaken(string name) => _taken.Contains(name);

    public string Claim(string wanted)
    {
        var name = wanted;
        for (var i = 1; !_taken.Add(name); i++)
            name = $"{wanted}_{i}";
        return name;
    }
}
