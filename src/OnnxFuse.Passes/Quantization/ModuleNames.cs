using System.Text.RegularExpressions;
using OnnxFuse.Ir.Graphs;

namespace OnnxFuse.Passes.Quantization;

/// <summary>
/// Matches config names against node names. A name matches a node when it is the node's name (with or without the
/// leading '/'), a glob over it (<c>*</c>, <c>?</c>), or the PyTorch module path the exporter's scope encodes:
/// <c>/features/features.1/conv/conv.0/conv.0.0/Conv</c> is module <c>features.1.conv.0.0</c> (each scope that
/// extends its parent's last name, <c>conv</c> → <c>conv.0</c>, adds only the extension), and matches its last scope
/// <c>conv.0.0</c> too.
/// </summary>
public static class ModuleNames
{
    public static bool Matches(string pattern, Node node)
    {
        var name = node.Name;
        if (pattern == name || pattern == name.TrimStart('/'))
            return true;
        if (pattern.Contains('*', StringComparison.Ordinal) || pattern.Contains('?', StringComparison.Ordinal))
            return Glob(pattern).IsMatch(name) || Glob(pattern).IsMatch(ModulePath(name) ?? "");
        var scopes = Scopes(name);
        return scopes.Length > 0 && (pattern == scopes[^1] || pattern == ModulePath(name));
    }

    /// <summary>The nodes <paramref name="pattern"/> names, Constant nodes left out (an exported module's parameters).</summary>
    public static List<Node> Resolve(string pattern, Graph graph) =>
        [.. graph.Nodes.Where(n => n.OpType != "Constant" && Matches(pattern, n))];

    /// <summary>The module path of an exported node name, or null when the name has no scope.</summary>
    public static string? ModulePath(string nodeName)
    {
        var scopes = Scopes(nodeName);
        if (scopes.Length == 0)
            return null;
        var path = scopes[0];
        for (var i = 1; i < scopes.Length; i++)
            path += scopes[i].StartsWith(scopes[i - 1] + ".", StringComparison.Ordinal) ? scopes[i][scopes[i - 1].Length..] : "." + scopes[i];
        return path;
    }

    /// <summary>The scopes of <c>/a/b/Op</c>: a, b (the last part is the op, not a scope).</summary>
    static string[] Scopes(string nodeName)
    {
        var parts = nodeName.Split('/', StringSplitOptions.RemoveEmptyEntries);
        return nodeName.StartsWith('/') && parts.Length > 1 ? parts[..^1] : [];
    }

    static Regex Glob(string pattern) =>
        new("^" + Regex.Escape(pattern).Replace(@"\*", ".*", StringComparison.Ordinal).Replace(@"\?", ".", StringComparison.Ordinal) + "$", RegexOptions.CultureInvariant);
}
