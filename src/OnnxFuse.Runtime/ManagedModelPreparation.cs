using OnnxFuse.Ir.Graphs;
using OnnxFuse.Passes;
using OnnxFuse.Passes.Quantization.Lowering;
using OnnxFuse.Passes.Rewriting;
using OnnxFuse.Runtime.Optimization;

namespace OnnxFuse.Runtime;

/// <summary>
/// The graph the managed engine runs for a model: a QDQ model lowered to int8 QLinear ops first
/// (<see cref="RunnerOptions.LowerQdq"/>), then the layer-fusion passes up to <see cref="RunnerOptions.ManagedOptimization"/>,
/// as ONNX Runtime applies its graph optimizations when it creates a session. Lowering comes first because constant
/// folding would otherwise turn the int8 weights' DequantizeLinear into float weights. The caller's model is left as it is.
/// </summary>
public static class ManagedModelPreparation
{
    public static Model Prepare(Model model, RunnerOptions options)
    {
        var lowered = options.LowerQdq ? QdqLowering.LoweredCopy(model) : model;
        return options.ManagedOptimization is { } level
            ? Optimizer.Optimize(lowered, new OptimizerOptions { Level = level, ConstantEvaluator = EngineConstantEvaluator.Instance }).Model
            : lowered;
    }
}
