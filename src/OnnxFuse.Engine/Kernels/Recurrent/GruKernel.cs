using System.Numerics.Tensors;
using OnnxFuse.Ir.Tensors;

namespace OnnxFuse.Engine.Kernels.Recurrent;

/// <summary>
/// ONNX GRU (float32), gates in z, r, h order, f = Sigmoid and g = Tanh by default:
/// zₜ = f(Xₜ·Wzᵀ + Hₜ₋₁·Rzᵀ + Wbz + Rbz);  rₜ = f(Xₜ·Wrᵀ + Hₜ₋₁·Rrᵀ + Wbr + Rbr);
/// hₜ = g(Xₜ·Whᵀ + (rₜ ⊙ Hₜ₋₁)·Rhᵀ + Rbh + Wbh)  (linear_before_reset = 0), or
/// hₜ = g(Xₜ·Whᵀ + rₜ ⊙ (Hₜ₋₁·Rhᵀ + Rbh) + Wbh)  (linear_before_reset = 1);
/// Hₜ = (1 − zₜ) ⊙ hₜ + zₜ ⊙ Hₜ₋₁.
/// Without linear_before_reset the reset gate multiplies the state before the last GEMM, so R is packed in two column
/// blocks (z and r, then h); with it, one GEMM gives all three gates' H·Rᵀ + Rb.
/// </summary>
sealed class GruKernel(RecurrentOptions options, bool linearBeforeReset, TensorData? constantW, TensorData? constantR)
    : RecurrentKernel("GRU", options, gateCount: 3, recurrenceBlocks: linearBeforeReset ? [3] : [2, 1], hasCellState: false, constantW, constantR)
{
    protected override void ProjectionBias(ReadOnlySpan<float> inputBias, ReadOnlySpan<float> recurrenceBias, Span<float> destination)
    {
        if (linearBeforeReset)
            inputBias.CopyTo(destination);
        else
            base.ProjectionBias(inputBias, recurrenceBias, destination);
    }

    protected override void Step(in RecurrentStep step)
    {
        if (linearBeforeReset)
            StepLinearBeforeReset(step);
        else
            StepResetBeforeLinear(step);
    }

    void StepResetBeforeLinear(in RecurrentStep step)
    {
        var shape = step.Shape;
        var (batch, hidden, width) = (shape.BatchSize, shape.HiddenSize, shape.GateWidth);
        var (f, g) = (step.Activations[0], step.Activations[1]);
        RecurrentWeights.Recur(step.Hidden, step.Recurrence[0], [], accumulate: true, batch, width, step.ThreadCount, step.Gates);
        var resetHidden = step.Scratch[..(batch * hidden)];
        for (var b = 0; b < batch; b++)
        {
            if (!step.IsActive(b))
                continue;
            Activate(f, step.GateRow(step.Gates, b, 0, gateCount: 2));
            TensorPrimitives.Multiply(step.GateRow(step.Gates, b, 1), step.StateRow(step.Hidden, b), step.StateRow(resetHidden, b));
        }
        RecurrentWeights.Recur(resetHidden, step.Recurrence[1], [], accumulate: true, batch, width, step.ThreadCount, step.Gates[(2 * hidden)..]);
        for (var b = 0; b < batch; b++)
        {
            if (!step.IsActive(b))
                continue;
            var candidate = step.GateRow(step.Gates, b, 2);
            Activate(g, candidate);
            Update(step.GateRow(step.Gates, b, 0), candidate, step.StateRow(step.Hidden, b));
        }
    }

    void StepLinearBeforeReset(in RecurrentStep step)
    {
        var shape = step.Shape;
        var (batch, width) = (shape.BatchSize, shape.GateWidth);
        var (f, g) = (step.Activations[0], step.Activations[1]);
        var recurrence = step.Scratch[..(batch * width)];
        RecurrentWeights.Recur(step.Hidden, step.Recurrence[0], step.RecurrenceBias, accumulate: false, batch, width, step.ThreadCount, recurrence);
        for (var b = 0; b < batch; b++)
        {
            if (!step.IsActive(b))
                continue;
            var updateReset = step.GateRow(step.Gates, b, 0, gateCount: 2);
            TensorPrimitives.Add(updateReset, step.GateRow(recurrence, b, 0, gateCount: 2), updateReset);
            Activate(f, updateReset);
            var candidate = step.GateRow(step.Gates, b, 2);
            TensorPrimitives.MultiplyAdd(step.GateRow(step.Gates, b, 1), step.GateRow(recurrence, b, 2), candidate, candidate);
            Activate(g, candidate);
            Update(step.GateRow(step.Gates, b, 0), candidate, step.StateRow(step.Hidden, b));
        }
    }

    /// <summary>H ← (1 − z) ⊙ h + z ⊙ H, computed as h + z ⊙ (H − h) in place.</summary>
    static void Update(ReadOnlySpan<float> update, ReadOnlySpan<float> candidate, Span<float> hidden)
    {
        TensorPrimitives.Subtract(hidden, candidate, hidden);
        TensorPrimitives.MultiplyAdd(hidden, update, candidate, hidden);
    }
}
