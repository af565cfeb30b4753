using System.Text;
using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Validation;

namespace OnnxFuse.Compose;

/// <summary>
/// Fuses several ONNX models into one (MERA's fuse_models, Vollo's multi-model programs, PopRT's index-switched
/// fusion). See <see cref="FusionMode"/> for the two layouts.
/// <para><b>Names.</b> Every value, node and subgraph of model <c>i</c> is prefixed (<c>m{i}_</c> by default, see
/// <see cref="FusionOptions.Prefix"/>), and so are its symbolic dims unless the input is shared. Interface names
/// (graph inputs and outputs) keep their original name when no other model's interface (or the index input) uses
/// it; a name used more than once is prefixed in every model that uses it. A shared input takes model 0's name.
/// The names chosen are recorded in <see cref="FusionMetadata"/>.</para>
/// <para><b>Opsets.</b> The fused model imports the highest default-domain opset of the models; older models are
/// converted (see the Opsets folder) or refused. Other domains take their highest version; unused imports are
/// dropped; the IR version is the highest.</para>
/// <para><b>Functions</b> (model-local, ONNX <c>FunctionProto</c>) are stored once when identical; a name that
/// models define with different bodies is renamed per model (see <see cref="FunctionMerge"/>).</para>
/// <para><b>Weights</b> are stored once when identical (type, shape, bytes), in the main graph.</para>
/// </summary>
public static class ModelFusion
{
    /// <summary>
    /// Fuses <paramref name="models"/> (at least two) into a new model; the inputs are not modified. Throws
    /// <see cref="FusionException"/> for a bad request, <see cref="Ir.Errors.ShapeMismatchException"/> for inputs that
    /// cannot be shared, <see cref="Ir.Errors.UnsupportedOpException"/> for an opset change it cannot convert and
    /// <see cref="Ir.Errors.BudgetExceededException"/> over budget.
    /// </summary>
    public static Model Fuse(IReadOnlyList<FusionInput> models, FusionOptions options)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(options);
        var prefixes = Validate(models, options);
        var opset = models.Max(m => m.Model.OpsetImports.Default);
        var prepared = models.Select((m, i) => PreparedModel.Create(m, i, prefixes[i], opset, !options.ShareInput)).ToList();
        var switched = options.Mode == FusionMode.Switched;
        var functions = FunctionMerge.Run(prepared);
        var names = ChooseInterfaceNames(prepared, options);

        var sharedType = options.ShareInput ? SharedInputType.Unify(prepared) : null;
        foreach (var model in prepared)
            model.NameOutputs(switched ? [.. model.OriginalOutputNames.Select(n => names.Claim(model.Prefix + n))] : model.FusedOutputNames);
        var graph = switched
            ? SwitchedComposer.Compose(prepared, sharedType, options.IndexName, names)
            : ParallelComposer.Compose(prepared, sharedType);

        var fused = new Model(graph)
        {
            IrVersion = models.Max(m => m.Model.IrVersion),
            ProducerName = "OnnxFuse",
            DocString = $"{(switched ? "Switched" : "Parallel")} fusion of {string.Join(", ", models.Select(m => m.Name))}",
        };
        foreach (var function in functions)
            fused.Functions.Add(function);
        ImportOpsets(models, opset, fused);

        var metadata = Describe(prepared, options, fused);
        metadata.WriteTo(fused);
        if (options.MemoryBudgetBytes is { } budget)
            ResourceBudget.Check(metadata, budget);
        GraphVerifier.Check(fused);
        return fused;
    }

    static string[] Validate(IReadOnlyList<FusionInput> models, FusionOptions options)
    {
        if (models.Count < 2)
            throw new FusionException($"fusion needs at least two models, got {models.Count}");
        foreach (var group in models.GroupBy(m => m.Name, StringComparer.Ordinal).Where(g => g.Count() > 1))
            throw new FusionException($"model name '{group.Key}' is used {group.Count()} times; every model needs its own name");
        if (options.Mode == FusionMode.Switched && string.IsNullOrWhiteSpace(options.IndexName))
            throw new FusionException("switched fusion needs a non-empty index input name");
        string[] prefixes = options.Prefixes is { } explicitPrefixes
            ? [.. explicitPrefixes]
            : [.. models.Select((m, i) => options.Prefix == PrefixScheme.Index ? $"m{i}_" : Sanitize(m.Name) + "_")];
        if (prefixes.Length != models.Count)
            throw new FusionException($"{prefixes.Length} prefixes given for {models.Count} models");
        for (var i = 0; i < prefixes.Length; i++)
            for (var j = 0; j < prefixes.Length; j++)
                if (i != j && (prefixes[i].Length == 0 || prefixes[j].StartsWith(prefixes[i], StringComparison.Ordinal)))
                    throw new FusionException(
                        $"prefix '{prefixes[i]}' of model '{models[i].Name}' is empty or begins prefix '{prefixes[j]}' of model '{models[j].Name}'; prefixed names could clash");
        return prefixes;
    }

    static string Sanitize(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
            builder.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        return builder.ToString();
    }

    /// <summary>Applies the interface naming rule (see the class docs) and returns the allocator for any further names.</summary>
    static NameAllocator ChooseInterfaceNames(List<PreparedModel> models, FusionOptions options)
    {
        var internalNames = models.SelectMany(m => m.Graph.SelfAndDescendants()
            .SelectMany(g => g.DeclaredValues)
            .Where(v => !(ReferenceEquals(v.Graph, m.Graph) && (v.IsGraphInput || v.IsGraphOutput)))
            .Select(v => v.Name));
        var names = new NameAllocator(internalNames);
        var uses = new Dictionary<string, int>(StringComparer.Ordinal);
        void Count(string name) => uses[name] = uses.GetValueOrDefault(name) + 1;
        if (options.Mode == FusionMode.Switched)
        {
            Count(options.IndexName);
            if (names.IsTaken(options.IndexName))
                throw new FusionException($"index input name '{options.IndexName}' is already a value name in the fused graph; choose another");
            names.Claim(options.IndexName);
        }
        foreach (var model in options.ShareInput ? models.Take(1) : models)
            foreach (var name in model.OriginalInputNames)
                Count(name);
        foreach (var model in models)
            foreach (var name in model.OriginalOutputNames)
                Count(name);

        string Choose(PreparedModel model, string original) =>
            names.Claim(uses[original] == 1 && !names.IsTaken(original) ? original : model.Prefix + original);
        if (options.ShareInput)
        {
            var shared = Choose(models[0], models[0].OriginalInputNames[0]);
            foreach (var model in models)
                model.FusedInputNames.AddRange(model.OriginalInputNames.Select(_ => shared));
        }
        else
        {
            foreach (var model in models)
                model.FusedInputNames.AddRange(model.OriginalInputNames.Select(n => Choose(model, n)));
        }
        foreach (var model in models)
            model.FusedOutputNames.AddRange(model.OriginalOutputNames.Select(n => Choose(model, n)));
        return names;
    }

    static void ImportOpsets(IReadOnlyList<FusionInput> models, long opset, Model fused)
    {
        var used = fused.Graph.AllNodes().Select(n => OpsetImports.Normalize(n.Domain))
            .Concat(fused.Functions.Select(f => OpsetImports.Normalize(f.Domain)))
            .ToHashSet(StringComparer.Ordinal);
        var versions = new Dictionary<string, long>(StringComparer.Ordinal) { [""] = opset };
        foreach (var (domain, version) in models.SelectMany(m => m.Model.OpsetImports))
            if (domain != "")
                versions[domain] = Math.Max(versions.GetValueOrDefault(domain), version);
        foreach (var (domain, version) in versions)
            if (used.Contains(domain))
                fused.OpsetImports[domain] = version;
    }

    static FusionMetadata Describe(List<PreparedModel> models, FusionOptions options, Model fused)
    {
        var weights = MemoryEstimate.WeightBytes(fused.Graph);
        var activations = options.Mode == FusionMode.Parallel
            ? models.Sum(m => m.PeakActivationBytes)
            : models.Max(m => m.PeakActivationBytes);
        return new FusionMetadata
        {
            Mode = options.Mode == FusionMode.Parallel ? "parallel" : "switched",
            IndexName = options.Mode == FusionMode.Switched ? options.IndexName : null,
            SharedInput = options.ShareInput,
            Opset = fused.OpsetImports.Default,
            IrVersion = fused.IrVersion,
            WeightBytes = weights,
            PeakActivationBytes = activations,
            EstimatedBytes = weights + activations,
            Models = [.. models.Select(m => new FusedModelInfo
            {
                Name = m.Name,
                Index = m.Index,
                Prefix = m.Prefix,
                SourcePath = m.Source.SourcePath,
                Sha256 = m.Source.Sha256,
                Opset = m.OriginalOpset,
                Inputs = [.. m.FusedInputNames.Zip(m.OriginalInputNames, (f, o) => new FusedName(f, o))],
                Outputs = [.. m.FusedOutputNames.Zip(m.OriginalOutputNames, (f, o) => new FusedName(f, o))],
                WeightBytes = m.WeightBytes,
                PeakActivationBytes = m.PeakActivationBytes,
            })],
        };
    }
}
