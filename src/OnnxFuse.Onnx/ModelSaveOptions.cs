namespace OnnxFuse.Onnx;

/// <summary>How <see cref="ModelFile.Save"/> lays a model out on disk.</summary>
public sealed record ModelSaveOptions
{
    /// <summary>About 1.8 GiB: the inline size above which <see cref="ExternalDataPolicy.Auto"/> switches to external data.</summary>
    public const long DefaultAutoThresholdBytes = 1_932_735_283;

    public ExternalDataPolicy ExternalData { get; init; } = ExternalDataPolicy.Auto;

    /// <summary>
    /// Name of the data file, created in the model's folder (no folder part allowed); null means the model's file
    /// name plus <c>.data</c>.
    /// </summary>
    public string? ExternalDataFileName { get; init; }

    /// <summary>Tensors with fewer bytes than this stay inline even when saving with external data.</summary>
    public long SizeThresholdBytes { get; init; } = 1024;

    /// <summary>Total tensor bytes above which <see cref="ExternalDataPolicy.Auto"/> saves with external data.</summary>
    public long AutoThresholdBytes { get; init; } = DefaultAutoThresholdBytes;
}
