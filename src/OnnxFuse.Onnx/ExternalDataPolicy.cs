namespace OnnxFuse.Onnx;

/// <summary>When <see cref="ModelFile.Save"/> writes weights to a separate data file instead of inside the model.</summary>
public enum ExternalDataPolicy
{
    /// <summary>External only when the inline model would pass <see cref="ModelSaveOptions.AutoThresholdBytes"/> (about 1.8 GiB).</summary>
    Auto,

    /// <summary>Always: every tensor of at least <see cref="ModelSaveOptions.SizeThresholdBytes"/> goes to the data file.</summary>
    Always,

    /// <summary>Never: every weight stays inline; models over protobuf's 2 GiB limit fail to save.</summary>
    Never,
}
