using OnnxFuse.Compose;
using OnnxFuse.Ir.Graphs;

namespace OnnxFuse.Cli.Commands;

/// <summary>Which model of a switched fused model <c>run --model-index</c> runs: its index, inputs and outputs.</summary>
sealed record SwitchedSelection(string IndexName, int Index, IReadOnlySet<string> InputNames, IReadOnlySet<string> OutputNames)
{
    /// <summary>Reads the fusion metadata; a model that is not switched, or an index out of range, is a clear error.</summary>
    public static SwitchedSelection Of(Model model, int index)
    {
        var (metadata, chosen) = FusionMetadata.SelectSwitched(model, index);
        return new SwitchedSelection(metadata.IndexName!, index,
            chosen.Inputs.Select(n => n.Name).ToHashSet(StringComparer.Ordinal),
            chosen.Outputs.Select(n => n.Name).ToHashSet(StringComparer.Ordinal));
    }
}
