namespace OnnxFuse.Passes.Rewriting;

/// <summary>
/// How far <see cref="Optimizer"/> goes. Each pass belongs to one level and runs at that level and above.
/// </summary>
public enum OptimizationLevel
{
    /// <summary>Cleanups and weight folding that keep standard ONNX ops only (Conv+BN, identity removal…).</summary>
    Basic = 1,

    /// <summary>Adds op fusions (FusedConv, Gelu, LayerNormalization, SkipLayerNormalization, Gemm…).</summary>
    Extended = 2,

    /// <summary>Adds whole-block fusions (attention, MLP, QKV packing).</summary>
    All = 3,
}
