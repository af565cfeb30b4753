namespace OnnxFuse.Compose;

/// <summary>How <see cref="ModelFusion.Fuse"/> combines models.</summary>
public enum FusionMode
{
    /// <summary>Every model runs on every call; inputs and outputs are concatenated in model order.</summary>
    Parallel,

    /// <summary>An int64 scalar input picks the one model that runs (chained ONNX <c>If</c> nodes).</summary>
    Switched,
}
