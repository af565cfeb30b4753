using OnnxFuse.Compose;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Graphs;

namespace OnnxFuse.Cli.Commands;

/// <summary>Which model of a switched fused model <c>run --model-index</c> runs: its index, inputs and outputs.</summary>
sealed record SwitchedSelection(string IndexName, int Index, IReadOnlySet<string> InputNames, IReadOnlySet<string> OutputNames)
{
    /// <summary>Reads the fusion metadata; a model that is not switched, or an index out of range, is a clear error.</summary>
    public static SwitchedSelection Of(Model model, int index)
    {
        var metadata = FusionMetadata.Read(model)
            ?? throw new OnnxFuseException($"--model-index needs a switched fused model, and this model has no '{FusionMetadata.Key}' metadata");
        if (metadata.Mode != "switched" || metadata.IndexName is null)
            throw new OnnxFuseException($"--model-index needs a switched fused model; this one was fused in {metadata.Mode} mode");
        if (index < 0 || index >= metadata.Models.Count)
            throw new OnnxFuseException(
                $"model index {index} is out of range: the fused model holds {metadata.Models.Count} models (0..{metadata.Models.Count - 1}: {string.Join(", ", metadata.Models.Select(m => m.Name))})");
        var chosen = metadata.Models.Single(m => m.Index == index);
        return new SwitchedSelection(metadata.IndexName, index,
            chosen.Inputs.Select(n => n.Name).ToHashSet(StringComparer.Ordinal),
            chosen.Outputs.Select(n => n.Name).ToHashSet(StringComparer.Ordinal));
    }
}
