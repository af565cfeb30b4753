using OnnxFuse.Ir.Graphs;

namespace OnnxFuse.Ir.Inference;

/// <summary>
/// ONNX type and shape inference over the IR: fills <see cref="Value.Type"/> (element type and shape) of every
/// node output in the main graph and its subgraphs, following ONNX's operator shape rules for the opset each
/// node's domain imports. Graph inputs keep their declared types, and symbolic dims (<c>batch</c>) flow through.
/// Small integer computations (Shape → Gather → Concat → Reshape) are folded on the side, so the reshapes of
/// exported models get static shapes. A known dim is never replaced by a less precise one; a declared type that
/// disagrees with the inferred one is reported (or thrown, see <see cref="ShapeInferenceOptions.ThrowOnConflict"/>).
/// </summary>
public static class ShapeInference
{
    public static ShapeInferenceReport Run(Model model, ShapeInferenceOptions? options = null)
    {
        var run = new InferenceRun(model, options ?? new ShapeInferenceOptions());
        run.InferMainGraph();
        return run.Report;
    }
}
