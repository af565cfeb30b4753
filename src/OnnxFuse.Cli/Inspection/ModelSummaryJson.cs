using System.Text.Json.Serialization;

namespace OnnxFuse.Cli.Inspection;

/// <summary>Source-generated JSON for <see cref="ModelSummary"/> (camelCase, indented).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ModelSummary))]
sealed partial class ModelSummaryJson : JsonSerializerContext;
