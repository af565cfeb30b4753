namespace OnnxFuse.Engine.Kernels.LinearAlgebra;

/// <summary>
/// An Einsum equation, "ij,jk->ik" or the implicit "ij,jk" (output: the letters used once, sorted). Terms name each
/// input's axes by letter; "..." stands for the axes no letter names, right-aligned across inputs as numpy broadcasts
/// them. <see cref="Resolve"/> turns the terms into integer labels for given input ranks: a letter's label is its
/// character code, the axes under "..." get <see cref="EllipsisLabel"/> + their position among the broadcast axes.
/// </summary>
sealed class EinsumEquation
{
    public const int EllipsisLabel = 256;
    const char Ellipsis = '.';

    readonly string[] _inputs;
    readonly string? _output;

    EinsumEquation(string[] inputs, string? output)
    {
        _inputs = inputs;
        _output = output;
    }

    public int InputCount => _inputs.Length;

    /// <summary>Parses an equation; null with <paramref name="error"/> set when it is malformed.</summary>
    public static EinsumEquation? Parse(string equation, out string? error)
    {
        var compact = equation.Replace(" ", "", StringComparison.Ordinal).Replace("...", Ellipsis.ToString(), StringComparison.Ordinal);
        var arrow = compact.IndexOf("->", StringComparison.Ordinal);
        var inputs = (arrow >= 0 ? compact[..arrow] : compact).Split(',');
        var output = arrow >= 0 ? compact[(arrow + 2)..] : null;
        foreach (var term in output is null ? inputs : [.. inputs, output])
        {
            if (term.Count(c => c == Ellipsis) > 1 || term.Any(c => c != Ellipsis && !char.IsAsciiLetter(c)))
            {
                error = $"Einsum equation '{equation}' has a malformed term '{term}'";
                return null;
            }
        }
        if (output is not null && output.Any(c => c != Ellipsis && !inputs.Any(term => term.Contains(c, StringComparison.Ordinal))))
        {
            error = $"Einsum equation '{equation}' has an output letter no input uses";
            return null;
        }
        error = null;
        return new EinsumEquation(inputs, output);
    }

    /// <summary>
    /// The labels of each input's axes and of the output's, for inputs of <paramref name="ranks"/>; null with
    /// <paramref name="error"/> set when a rank does not fit its term.
    /// </summary>
    public (int[][] Inputs, int[] Output)? Resolve(ReadOnlySpan<int> ranks, out string? error)
    {
        if (ranks.Length != _inputs.Length)
        {
            error = $"Einsum equation has {_inputs.Length} terms for {ranks.Length} inputs";
            return null;
        }
        var broadcastRank = 0;
        for (var i = 0; i < ranks.Length; i++)
        {
            var letters = _inputs[i].Count(c => c != Ellipsis);
            var hasEllipsis = letters != _inputs[i].Length;
            if (hasEllipsis ? ranks[i] < letters : ranks[i] != letters)
            {
                error = $"Einsum term '{_inputs[i].Replace(Ellipsis.ToString(), "...", StringComparison.Ordinal)}' does not fit an input of rank {ranks[i]}";
                return null;
            }
            broadcastRank = Math.Max(broadcastRank, ranks[i] - letters);
        }
        var inputs = new int[_inputs.Length][];
        for (var i = 0; i < inputs.Length; i++)
            inputs[i] = Labels(_inputs[i], ranks[i] - _inputs[i].Count(c => c != Ellipsis), broadcastRank);
        var output = _output is not null
            ? Labels(_output, broadcastRank, broadcastRank)
            : Labels(Ellipsis + new string([.. _inputs.SelectMany(t => t).Where(c => c != Ellipsis).CountBy(c => c).Where(p => p.Value == 1)
                .Select(p => p.Key).Order()]), broadcastRank, broadcastRank);
        error = null;
        return (inputs, output);
    }

    static int[] Labels(string term, int ellipsisRank, int broadcastRank)
    {
        var labels = new List<int>();
        foreach (var c in term)
        {
            if (c != Ellipsis)
            {
                labels.Add(c);
                continue;
            }
            for (var j = broadcastRank - ellipsisRank; j < broadcastRank; j++)
                labels.Add(EllipsisLabel + j);
        }
        return [.. labels];
    }
}
