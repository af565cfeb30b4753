using System.Text.Json;
using System.Text.Json.Serialization;
using OnnxFuse.Ir.Errors;
using OnnxFuse.Ir.Graphs;

namespace OnnxFuse.Compose;

/// <summary>
/// What a fused model records about its fusion, as JSON in the model's metadata property <see cref="Key"/>:
/// the mode, the index input (switched), the fused opset, the memory estimate, and per model its name, source,
/// hash, index, interface names (fused and original) and memory figures.
/// </summary>
public sealed record FusionMetadata
{
    /// <summary>The metadata property key.</summary>
    public const string Key = "onnxfuse.fusion";

    public int FormatVersion { get; init; } = 1;

    /// <summary>"parallel" or "switched".</summary>
    public required string Mode { get; init; }

    /// <summary>The model-picking input (switched mode); null for parallel fusion.</summary>
    public string? IndexName { get; init; }

    public bool SharedInput { get; init; }

    public long Opset { get; init; }

    public long IrVersion { get; init; }

    /// <summary>Bytes of the fused model's weights, each distinct weight counted once.</summary>
    public long WeightBytes { get; init; }

    /// <summary>Peak activations: summed over models (parallel) or the largest model's (switched).</summary>
    public long PeakActivationBytes { get; init; }

    /// <summary><see cref="WeightBytes"/> + <see cref="PeakActivationBytes"/>; what a memory budget is checked against.</summary>
    public long EstimatedBytes { get; init; }

    public required IReadOnlyList<FusedModelInfo> Models { get; init; }

    /// <summary>The fusion record of <paramref name="model"/>, or null when it was not fused by OnnxFuse.</summary>
    public static FusionMetadata? Read(Model model)
    {
        if (!model.MetadataProps.TryGetValue(Key, out var json))
            return null;
        try
        {
            return JsonSerializer.Deserialize(json, FusionMetadataJson.Default.FusionMetadata)
                ?? throw new ModelLoadException($"metadata '{Key}' is empty");
        }
        catch (JsonException e)
        {
            throw new ModelLoadException($"metadata '{Key}' is not valid fusion JSON: {e.Message}", e);
        }
    }

    /// <summary>
    /// The switched model of <paramref name="model"/> that <paramref name="index"/> selects; a model that is not a
    /// switched fusion, or an index out of range, is a clear error listing the models.
    /// </summary>
    public static (FusionMetadata Fusion, FusedModelInfo Selected) SelectSwitched(Model model, int index)
    {
        var metadata = Read(model)
            ?? throw new FusionException($"selecting a model by index needs a switched fused model, and this model has no '{Key}' metadata");
        if (metadata.Mode != "switched" || metadata.IndexName is null)
            throw new FusionException($"selecting a model by index needs a switched fused model; this one was fused in {metadata.Mode} mode");
        if (index < 0 || index >= metadata.Models.Count)
            throw new FusionException(
                $"model index {index} is out of range: the fused model holds {metadata.Models.Count} models (0..{metadata.Models.Count - 1}: {string.Join(", ", metadata.Models.Select(m => m.Name))})");
        return (metadata, metadata.Models.Single(m => m.Index == index));
    }

    /// <summary>Stores this record in <paramref name="model"/>'s metadata (replacing an earlier one).</summary>
    public void WriteTo(Model model) => model.MetadataProps[Key] = ToJson();

    public string ToJson() => JsonSerializer.Serialize(this, FusionMetadataJson.Default.FusionMetadata);
}

/// <summary>One fused model's entry in <see cref="FusionMetadata"/>.</summary>
public sealed record FusedModelInfo
{
    public required string Name { get; init; }

    /// <summary>Position in the fusion; in switched mode the value of the index input that runs this model.</summary>
    public int Index { get; init; }

    public required string Prefix { get; init; }

    public string? SourcePath { get; init; }

    public string? Sha256 { get; init; }

    /// <summary>The model's own default-domain opset before fusion.</summary>
    public long Opset { get; init; }

    public required IReadOnlyList<FusedName> Inputs { get; init; }

    public required IReadOnlyList<FusedName> Outputs { get; init; }

    /// <summary>Bytes of this model's weights on their own (before deduplication across models).</summary>
    public long WeightBytes { get; init; }

    /// <summary>Estimated peak bytes of live intermediate tensors (see the fusion docs for the method).</summary>
    public long PeakActivationBytes { get; init; }
}

/// <summary>An interface value: its name in the fused model and in the original model.</summary>
public sealed record FusedName(string Name, string OriginalName);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(FusionMetadata))]
sealed partial class FusionMetadataJson : JsonSerializerContext;
