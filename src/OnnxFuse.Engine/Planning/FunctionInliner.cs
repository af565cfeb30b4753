using OnnxFuse.Ir.Editing;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Graphs;

namespace OnnxFuse.Engine.Planning;

/// <summary>
/// Expands calls of model-local functions (ONNX <c>FunctionProto</c>) into their bodies before planning, so the
/// engine runs them with its own kernels: a node whose (domain, op_type, overload) names a function of the model is
/// replaced by copies of the body's nodes, the function's formal inputs and outputs mapped to the call's values and
/// attribute references resolved from the call (or the function's defaults). Calls inside bodies and inside
/// subgraphs are expanded too. The caller's model is not modified.
/// </summary>
static class FunctionInliner
{
    // ONNX forbids recursive functions; the limit turns a recursive file into an error instead of a hang.
    const int MaxDepth = 64;

    /// <summary>The model itself when it defines no functions; otherwise a copy with every call expanded.</summary>
    public static Model Expand(Model model)
    {
        if (model.Functions.Count == 0)
            return model;
        var copy = model.Clone();
        var functions = copy.Functions.ToDictionary(f => (OpsetImports.Normalize(f.Domain), f.Name, f.Overload));
        foreach (var function in copy.Functions)
            foreach (var (domain, version) in function.OpsetImports)
                if (!copy.OpsetImports.Contains(domain))
                    copy.OpsetImports[domain] = version;
        foreach (var graph in copy.Graph.SelfAndDescendants().ToList())
            ExpandGraph(graph, functions);
        return copy;
    }

    static void ExpandGraph(Graph graph, Dictionary<(string, string, string), FunctionDef> functions)
    {
        var pending = new Queue<(Node Call, int Depth)>(graph.Nodes.Where(n => IsCall(n, functions)).Select(n => (n, 0)));
        while (pending.TryDequeue(out var item))
        {
            if (item.Depth >= MaxDepth)
                Throw.UnsupportedOp($"function call {item.Call.Describe()} expands more than {MaxDepth} levels deep; is the function recursive?");
            foreach (var node in Inline(item.Call, functions[Key(item.Call)]))
                if (IsCall(node, functions))
                    pending.Enqueue((node, item.Depth + 1));
        }
    }

    static (string, string, string) Key(Node node) => (OpsetImports.Normalize(node.Domain), node.OpType, node.Overload);

    static bool IsCall(Node node, Dictionary<(string, string, string), FunctionDef> functions) => functions.ContainsKey(Key(node));

    /// <summary>Replaces <paramref name="call"/> by a copy of <paramref name="function"/>'s body; returns the new nodes.</summary>
    static List<Node> Inline(Node call, FunctionDef function)
    {
        var graph = call.Graph;
        var body = function.Body;
        var map = new Dictionary<Value, Value?>();
        for (var i = 0; i < body.Inputs.Count; i++)
            map[body.Inputs[i]] = call.OptionalInput(i);
        var added = new List<Node>(body.Nodes.Count);
        foreach (var node in body.Nodes)
        {
            if (node.Subgraphs.Any())
                Throw.UnsupportedOp($"function '{function.Name}' called by node {call.Describe()} holds a subgraph (node {node.Describe()}); the managed engine inlines only flat function bodies");
            var inputs = node.Inputs.Select(v => v is null ? null : map.TryGetValue(v, out var mapped) ? mapped
                : throw new UnsupportedOpException($"function '{function.Name}' node {node.Describe()} reads '{v.Name}', which the body does not define"));
            var outputNames = node.Outputs.Select(o => o is null ? null : graph.UniqueValueName($"{call.Name}/{o.Name}")).ToList();
            var copy = graph.AddNode(node.OpType, inputs, outputNames, Attributes(node, call, function),
                graph.UniqueNodeName($"{call.Name}/{node.Name}"), node.Domain, before: call);
            copy.Overload = node.Overload;
            for (var i = 0; i < node.Outputs.Count; i++)
                if (node.Outputs[i] is { } output)
                    map[output] = copy.Output(i);
            added.Add(copy);
        }

        var results = new List<(Value Actual, Value Result, string Name)>();
        for (var i = 0; i < call.Outputs.Count; i++)
        {
            if (call.Outputs[i] is not { } actual)
                continue;
            if (i >= body.Outputs.Count || !map.TryGetValue(body.Outputs[i], out var result) || result is null)
                throw new UnsupportedOpException($"function '{function.Name}' does not compute output {i} that node {call.Describe()} reads");
            results.Add((actual, result, actual.Name));
        }
        foreach (var (actual, result, _) in results)
            actual.ReplaceAllUsesWith(result);
        graph.RemoveNode(call);
        // The call's output names are what readers and the graph's outputs were declared with: keep them.
        foreach (var (_, result, name) in results)
            if (result.Producer is { } producer && added.Contains(producer) && graph.FindDeclared(name) is null)
                result.Name = name;
        return added;
    }

    /// <summary>The body node's attributes with references to the function's attributes resolved for this call.</summary>
    static IEnumerable<Attr> Attributes(Node node, Node call, FunctionDef function)
    {
        foreach (var attr in node.Attributes)
        {
            if (attr.RefAttrName is not { } reference)
            {
                yield return attr;
                continue;
            }
            var given = call.FindAttr(reference) ?? function.AttributeDefaults.FirstOrDefault(a => a.Name == reference);
            if (given is not null)
                yield return given.Renamed(attr.Name);
        }
    }
}
