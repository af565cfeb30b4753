using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.Recurrent;

/// <summary>
/// ONNX RNN (float32): Hₜ = f(Xₜ·Wᵀ + Hₜ₋₁·Rᵀ + Wb + Rb), f = Tanh by default. Inputs, outputs and the loop are
/// <see cref="RecurrentKernel"/>'s (one gate).
/// </summary>
sealed class RnnKernel(RecurrentOptions options, TensorData? constantW, TensorData? constantR)
    : RecurrentKernel("RNN", options, gateCount: 1, recurrenceBlocks: [1], hasCellState: false, constantW, constantR)
{
    protected override void Step(in RecurrentStep step)
    {
        var shape = step.Shape;
        RecurrentWeights.Recur(step.Hidden, step.Recurrence[0], [], accumulate: true, shape.BatchSize, shape.GateWidth, step.ThreadCount, step.Gates);
        for (var b = 0; b < shape.BatchSize; b++)
        {
            if (!step.IsActive(b))
                continue;
            var gate = step.GateRow(step.Gates, b, 0);
            Activate(step.Activations[0], gate);
            gate.CopyTo(step.StateRow(step.Hidden, b));
        }
    }
}
