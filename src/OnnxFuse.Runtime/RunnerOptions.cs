using OnnxFuse.Ort;
using OnnxFuse.Passes.Rewriting;

namespace OnnxFuse.Runtime;

/// <summary>How a <see cref="ModelRunner"/> runs its model.</summary>
public sealed record RunnerOptions
{
    public ExecutionTarget Target { get; init; } = ExecutionTarget.Managed;

    /// <summary>Intra-op threads; 0 lets the target choose (the managed engine uses every core).</summary>
    public int ThreadCount { get; init; }

    /// <summary>
    /// Whether the managed engine lowers QDQ groups (DequantizeLinear → Conv/MatMul → QuantizeLinear) to QLinearConv and
    /// QLinearMatMul when it creates its session, so a QDQ model runs on int8 kernels instead of float between Q/DQ pairs
    /// (ONNX Runtime does the same with its QDQ transformer; ignored there). Off, the engine simulates the QDQ model in float.
    /// </summary>
    public bool LowerQdq { get; init; } = true;

    /// <summary>
    /// The layer-fusion passes the managed engine applies to its copy of the model when it creates its session (BatchNormalization
    /// folding, FusedConv, attention…; see <see cref="ManagedModelPreparation"/>), the counterpart of <see cref="OrtOptimization"/>;
    /// null runs the graph exactly as given, which is what a check of one graph against another needs. Ignored by ONNX Runtime.
    /// </summary>
    public OptimizationLevel? ManagedOptimization { get; init; } = OptimizationLevel.All;

    /// <summary>ONNX Runtime's own graph optimizations (ignored by the managed engine).</summary>
    public GraphOptimizationLevel OrtOptimization { get; init; } = GraphOptimizationLevel.All;
}
