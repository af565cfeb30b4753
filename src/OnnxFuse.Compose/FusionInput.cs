using System.Security.Cryptography;
using OnnxFuse.Ir.Graphs;

namespace OnnxFuse.Compose;

/// <summary>
/// One model to fuse: the loaded model (not modified; fusion works on a copy), the name it goes by in the fused
/// model's metadata and messages, and where it came from.
/// </summary>
/// <param name="Model">The model; <see cref="ModelFusion.Fuse"/> clones it.</param>
/// <param name="Name">Name in metadata, error messages and (with <see cref="PrefixScheme.ModelName"/>) the prefix.</param>
public sealed record FusionInput(Model Model, string Name)
{
    /// <summary>Path of the file the model was loaded from, recorded in the metadata.</summary>
    public string? SourcePath { get; init; }

    /// <summary>Lower-case hex SHA-256 of that file, recorded in the metadata.</summary>
    public string? Sha256 { get; init; }

    /// <summary>Lower-case hex SHA-256 of a file's bytes.</summary>
    public static string HashFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
