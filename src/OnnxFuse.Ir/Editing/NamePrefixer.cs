using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Types;

namespace OnnxFuse.Ir.Editing;

/// <summary>
/// Prefixes every name in a graph and its subgraphs (values, nodes, graphs and optionally symbolic dimensions),
/// e.g. so that several models can be fused into one graph without clashes. Readers keep pointing at the same
/// values, so only names change. Names the options keep are checked against the new names first: if one would
/// clash within a scope (or shadow an outer one), nothing is renamed.
/// </summary>
public static class NamePrefixer
{
    /// <summary>Prefixes the names in <paramref name="model"/>'s main graph.</summary>
    public static void Prefix(Model model, string prefix, NamePrefixOptions? options = null) => Prefix(model.Graph, prefix, options);

    public static void Prefix(Graph graph, string prefix, NamePrefixOptions? options = null)
    {
        options ??= new NamePrefixOptions();
        var scopes = graph.SelfAndDescendants().ToList();
        string NewName(Value value) =>
            !options.Values
            || (options.KeepGraphInputNames && graph.Inputs.Contains(value))
            || (options.KeepGraphOutputNames && graph.Outputs.Contains(value))
                ? value.Name
                : prefix + value.Name;

        CheckNoClash(graph, NewName);

        foreach (var scope in scopes)
        {
            foreach (var value in scope.DeclaredValues)
            {
                value.SetNameUnchecked(NewName(value));
                if (options.SymbolicDims && value.Type is { } type)
                    value.Type = PrefixDims(type, prefix);
            }
            scope.RekeyDeclared();
            if (options.Nodes)
                foreach (var node in scope.Nodes)
                    node.Name = prefix + node.Name;
            if (options.Graphs)
                scope.Name = prefix + scope.Name;
        }
    }

    /// <summary>Throws when two values visible in one scope would end up with the same name.</summary>
    static void CheckNoClash(Graph graph, Func<Value, string> newName)
    {
        var visible = new Dictionary<string, Value>(StringComparer.Ordinal);
        for (var outer = graph.Parent; outer is not null; outer = outer.Parent)
            foreach (var value in outer.DeclaredValues)
                visible.TryAdd(value.Name, value);
        Check(graph, visible, newName);

        static void Check(Graph scope, Dictionary<string, Value> visible, Func<Value, string> newName)
        {
            var added = new List<string>();
            foreach (var value in scope.DeclaredValues)
            {
                var name = newName(value);
                if (visible.TryGetValue(name, out var other))
                    throw new InvalidOperationException(
                        $"cannot prefix graph '{scope.Name}': values '{other.Name}' and '{value.Name}' would both be named '{name}'");
                visible.Add(name, value);
                added.Add(name);
            }
            foreach (var subgraph in scope.Nodes.SelectMany(n => n.Subgraphs))
                Check(subgraph, visible, newName);
            foreach (var name in added)
                visible.Remove(name);
        }
    }

    static OnnxType PrefixDims(OnnxType type, string prefix) => type switch
    {
        TensorType tensor => tensor with { Shape = PrefixDims(tensor.Shape, prefix) },
        SparseTensorType sparse => sparse with { Shape = PrefixDims(sparse.Shape, prefix) },
        SequenceType sequence => sequence with { ElementType = sequence.ElementType is null ? null : PrefixDims(sequence.ElementType, prefix) },
        OptionalType optional => optional with { ElementType = optional.ElementType is null ? null : PrefixDims(optional.ElementType, prefix) },
        MapType map => map with { ValueType = map.ValueType is null ? null : PrefixDims(map.ValueType, prefix) },
        _ => type,
    };

    static Shape? PrefixDims(Shape? shape, string prefix) =>
        shape is null ? null : new Shape(shape.Select(d => d.IsSymbolic ? d with { Param = prefix + d.Param } : d));
}
