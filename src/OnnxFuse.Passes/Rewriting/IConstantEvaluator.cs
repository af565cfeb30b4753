using OnnxFuse.Ir.Graphs;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Passes.Rewriting;

/// <summary>
/// Computes a node's outputs from constant inputs, for constant folding. Passes never reference the execution
/// engine, so whoever runs the optimizer hands one in (the CLI passes the managed engine's).
/// </summary>
public interface IConstantEvaluator
{
    /// <summary>
    /// The node's outputs for these inputs (null for omitted optional inputs), one per output of the node (null for
    /// omitted optional outputs), or null when it cannot evaluate the node.
    /// </summary>
    IReadOnlyList<TensorData?>? TryEvaluate(Node node, IReadOnlyList<TensorData?> inputs, long opset);
}
