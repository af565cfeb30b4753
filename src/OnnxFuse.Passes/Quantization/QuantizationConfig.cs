namespace OnnxFuse.Passes.Quantization;

/// <summary>What one config entry quantizes: the activation entering the op, its weight, its bias, its output.</summary>
[Flags]
public enum QuantizationTargets
{
    None = 0,
    Input = 1,
    Weight = 2,
    Bias = 4,
    Output = 8,
}

/// <summary>Affine: zero point from the calibrated range; symmetric: zero point 0, range ±max|x|.</summary>
public enum QuantizationScheme
{
    Affine,
    Symmetric,
}

/// <summary>One scale for the whole tensor, or one per output channel (weights only; activations are always per tensor).</summary>
public enum QuantizationGranularity
{
    PerTensor,
    PerChannel,
}

/// <summary>The 8-bit integer type activations are quantized to (weights are always int8, symmetric, as ONNX Runtime's default).</summary>
public enum QuantizedType
{
    Int8,
    UInt8,
}

/// <summary>
/// One entry of the config list (NNI's config-list shape): which ops (by name, glob or PyTorch module path, and/or op
/// type), which of their tensors, how, and which module groups to fuse before quantizing.
/// </summary>
public sealed record QuantizationEntry(
    IReadOnlyList<string> OpNames,
    IReadOnlyList<string> OpTypes,
    QuantizationTargets Targets,
    QuantizedType ActivationType,
    QuantizationScheme Scheme,
    QuantizationGranularity WeightGranularity,
    IReadOnlyList<IReadOnlyList<string>> FuseNames)
{
    /// <summary>Where the entry came from (<c>file:line: entries[i]</c>), for error messages.</summary>
    public string Where { get; init; } = "entry";
}

/// <summary>A quantization config: the entries, first match wins for each op.</summary>
public sealed record QuantizationConfig(IReadOnlyList<QuantizationEntry> Entries);
