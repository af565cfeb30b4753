namespace OnnxFuse.Ir.Inference;

/// <summary>
/// Type and shape inference for one operator family: reads the node's input types (and known small integer
/// contents) from the <see cref="InferenceContext"/> and sets its output types and contents there.
/// </summary>
interface IShapeRule
{
    void Infer(InferenceContext context);
}
