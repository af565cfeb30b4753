namespace OnnxFuse.Compose.Config;

/// <summary>
/// A fusion described in YAML (<c>onnxfuse fuse --config fusion.yaml</c>): global options and one entry per model.
/// Paths are resolved against the config file's folder.
/// </summary>
/// <example>
/// <code>
/// mode: switched            # parallel | switched
/// output: fused.onnx
/// index_name: index         # switched only
/// share_input: false
/// budget: 64MB              # optional: weights + activations must fit
/// prefix: index             # index (m0_, m1_…) | name (the model's name)
/// models:
///   - path: mlp.onnx
///     name: mlp             # optional, defaults to the file name
///     prefix: mlp_          # optional; give it for every model or for none
///     input_shapes:         # optional: fix symbolic dims
///       input: [784]
///   - path: cnn.onnx
/// </code>
/// </example>
public sealed record FusionConfig(string? OutputPath, FusionOptions Options, IReadOnlyList<FusionConfigModel> Models);

/// <summary>One model entry: its file, optional name, optional prefix, and input shapes that fix symbolic dims.</summary>
public sealed record FusionConfigModel(string Path, string? Name, string? Prefix, IReadOnlyDictionary<string, long[]> InputShapes);
