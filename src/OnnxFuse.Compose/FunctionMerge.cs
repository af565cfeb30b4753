using OnnxFuse.Ir.Comparison;
using OnnxFuse.Ir.Editing;
using OnnxFuse.Ir.Graphs;

namespace OnnxFuse.Compose;

/// <summary>
/// Gathers the models' local functions (ONNX <c>FunctionProto</c>, keyed by domain, name and overload) for the fused
/// model. A function that several models define identically is stored once. When models define one key with
/// different bodies, the models that agree with the first model to define it keep its name, and every other body is
/// renamed to the prefix of the first model that defines it + the name (<c>m1_f</c>); the call sites of those models
/// are renamed with it, in their graphs, subgraphs and other functions. A renamed call makes its caller's body differ
/// too, so renaming repeats until no key has two bodies.
/// </summary>
static class FunctionMerge
{
    public static List<FunctionDef> Run(IReadOnlyList<PreparedModel> models)
    {
        while (RenameOneClash(models))
        {
        }
        var merged = new List<FunctionDef>();
        var seen = new HashSet<(string, string, string)>();
        foreach (var model in models)
            foreach (var function in model.Model.Functions)
                if (seen.Add(Key(function)))
                    merged.Add(ModelCloner.Clone(function));
        return merged;
    }

    static (string, string, string) Key(FunctionDef function) => (OpsetImports.Normalize(function.Domain), function.Name, function.Overload);

    /// <summary>Finds the first key defined with two bodies and renames every body but the first model's; false when none.</summary>
    static bool RenameOneClash(IReadOnlyList<PreparedModel> models)
    {
        var definitions = models
            .SelectMany(m => m.Model.Functions.Select(f => (Model: m, Function: f)))
            .GroupBy(d => Key(d.Function));
        foreach (var group in definitions)
        {
            var variants = new List<(FunctionDef Body, string Name)>();
            var renames = new List<(PreparedModel Model, FunctionDef Function, string Name)>();
            foreach (var (model, function) in group)
            {
                var index = variants.FindIndex(v => AreIdentical(v.Body, function));
                if (index < 0)
                {
                    variants.Add((function, variants.Count == 0 ? function.Name : UniqueName(models, model.Prefix + function.Name, function)));
                    index = variants.Count - 1;
                }
                if (index > 0)
                    renames.Add((model, function, variants[index].Name));
            }
            if (renames.Count == 0)
                continue;
            foreach (var (model, function, name) in renames)
                Rename(model.Model, function, name);
            return true;
        }
        return false;
    }

    /// <summary><paramref name="name"/>, or with a number appended when some model already has a function of that name in the domain.</summary>
    static string UniqueName(IReadOnlyList<PreparedModel> models, string name, FunctionDef function)
    {
        bool Taken(string candidate) => models.Any(m => m.Model.Functions.Any(f =>
            OpsetImports.Normalize(f.Domain) == OpsetImports.Normalize(function.Domain) && f.Name == candidate && f.Overload == function.Overload));
        var unique = name;
        for (var n = 2; Taken(unique); n++)
            unique = $"{name}_{n}";
        return unique;
    }

    static void Rename(Model model, FunctionDef function, string name)
    {
        var key = Key(function);
        var bodies = model.Functions.Select(f => f.Body);
        foreach (var node in model.Graph.AllNodes().Concat(bodies.SelectMany(b => b.SelfAndDescendants().SelectMany(g => g.Nodes))))
            if ((OpsetImports.Normalize(node.Domain), node.OpType, node.Overload) == key)
                node.OpType = name;
        function.Name = name;
    }

    /// <summary>Same signature, attributes, opsets and body (ModelDiff on two otherwise empty models).</summary>
    static bool AreIdentical(FunctionDef a, FunctionDef b)
    {
        static Model Holder(FunctionDef function)
        {
            var model = new Model(new Graph("holder"));
            model.Functions.Add(function);
            return model;
        }
        return ModelDiff.FirstDifference(Holder(a), Holder(b)) is null;
    }
}
