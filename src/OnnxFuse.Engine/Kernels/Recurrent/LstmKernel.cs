using System.Numerics.Tensors;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.Recurrent;

/// <summary>
/// ONNX LSTM (float32), gates in i, o, f, c order, f = Sigmoid and g = h = Tanh by default:
/// iₜ = f(Xₜ·Wiᵀ + Hₜ₋₁·Riᵀ + Pi ⊙ Cₜ₋₁ + Wbi + Rbi);  fₜ = f(Xₜ·Wfᵀ + Hₜ₋₁·Rfᵀ + Pf ⊙ Cₜ₋₁ + Wbf + Rbf);
/// cₜ = g(Xₜ·Wcᵀ + Hₜ₋₁·Rcᵀ + Wbc + Rbc);  Cₜ = fₜ ⊙ Cₜ₋₁ + iₜ ⊙ cₜ;
/// oₜ = f(Xₜ·Woᵀ + Hₜ₋₁·Roᵀ + Po ⊙ Cₜ + Wbo + Rbo);  Hₜ = oₜ ⊙ h(Cₜ).
/// With input_forget the forget gate is coupled to the input gate, fₜ = 1 − iₜ (as ONNX Runtime computes it).
/// </summary>
sealed class LstmKernel(RecurrentOptions options, bool inputForget, TensorData? constantW, TensorData? constantR)
    : RecurrentKernel("LSTM", options, gateCount: 4, recurrenceBlocks: [4], hasCellState: true, constantW, constantR)
{
    const int InputGate = 0;
    const int OutputGate = 1;
    const int ForgetGate = 2;
    const int CellGate = 3;

    protected override void Step(in RecurrentStep step)
    {
        var shape = step.Shape;
        var hidden = shape.HiddenSize;
        var (f, g, h) = (step.Activations[0], step.Activations[1], step.Activations[2]);
        RecurrentWeights.Recur(step.Hidden, step.Recurrence[0], [], accumulate: true, shape.BatchSize, shape.GateWidth, step.ThreadCount, step.Gates);
        var hasPeepholes = !step.Peepholes.IsEmpty;
        for (var b = 0; b < shape.BatchSize; b++)
        {
            if (!step.IsActive(b))
                continue;
            var input = step.GateRow(step.Gates, b, InputGate);
            var output = step.GateRow(step.Gates, b, OutputGate);
            var forget = step.GateRow(step.Gates, b, ForgetGate);
            var candidate = step.GateRow(step.Gates, b, CellGate);
            var cell = step.StateRow(step.Cell, b);
            if (hasPeepholes)
            {
                TensorPrimitives.MultiplyAdd(cell, step.Peepholes[..hidden], input, input);
                TensorPrimitives.MultiplyAdd(cell, step.Peepholes[(2 * hidden)..], forget, forget);
            }
            if (inputForget)
            {
                Activate(f, input);
                TensorPrimitives.Subtract(1f, input, forget);
            }
            else if (hasPeepholes)
            {
                Activate(f, input);
                Activate(f, forget);
            }
            else
            {
                // Without peepholes the output gate does not wait for Cₜ: one call activates i, o and f.
                Activate(f, step.GateRow(step.Gates, b, InputGate, gateCount: 3));
            }
            Activate(g, candidate);
            TensorPrimitives.Multiply(forget, cell, cell);
            TensorPrimitives.MultiplyAdd(input, candidate, cell, cell);
            if (hasPeepholes || inputForget)
            {
                if (hasPeepholes)
                    TensorPrimitives.MultiplyAdd(cell, step.Peepholes.Slice(hidden, hidden), output, output);
                Activate(f, output);
            }
            h.Apply(cell, candidate);
            TensorPrimitives.Multiply(output, candidate, step.StateRow(step.Hidden, b));
        }
    }
}
